/** The one bridge between the sandboxed renderer and the main process: invoke a channel, listen for events. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'

contextBridge.exposeInMainWorld('clinic', {
  invoke: (channel: string, input: unknown) => ipcRenderer.invoke('clinic:invoke', channel, input),
  on: (listener: (event: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on('clinic:event', wrapped)
    return () => {
      ipcRenderer.removeListener('clinic:event', wrapped)
    }
  },
})
