/** The one bridge between the sandboxed renderer and the main process: invoke a channel, listen for events. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'

contextBridge.exposeInMainWorld('clinic', {
  // meta: how long ago the person last gave the window input (the idle lock counts only that: rpc.ts CallMeta)
  invoke: (channel: string, input: unknown, meta?: unknown) => ipcRenderer.invoke('clinic:invoke', channel, input, meta),
  on: (listener: (event: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on('clinic:event', wrapped)
    return () => {
      ipcRenderer.removeListener('clinic:event', wrapped)
    }
  },
})
