import { useStore as useZustand, type StoreApi } from 'zustand';

/** Selects the smallest slice a component needs from a vanilla store, re-rendering only when it changes. */
export function useStore<S, T>(store: StoreApi<S>, select: (state: S) => T): T {
  return useZustand(store, select);
}
