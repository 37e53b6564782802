import { matchRoute, useRoute } from '../../routing'
import { PatientDetail } from './PatientDetail'
import { PatientList } from './PatientList'
import { RegisterPatient } from './RegisterPatient'

export default function PatientsScreen() {
  const route = useRoute()
  if (route === '/patients/new') return <RegisterPatient />
  const detail = matchRoute('/patients/:id', route)
  if (detail && /^\d+$/.test(detail.id!)) return <PatientDetail id={Number(detail.id)} />
  return <PatientList />
}
