/**
 * Small, failure-tolerant JSON access to localStorage: private windows and full quotas throw,
 * and the labeling screen must keep working (it just cannot keep things across reloads then).
 */

export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

export function browserStore(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function readJson(store: KeyValueStore | null, key: string): unknown {
  try {
    const raw = store?.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}

/** Returns false when the value could not be stored. */
export function writeJson(store: KeyValueStore | null, key: string, value: unknown): boolean {
  try {
    store?.setItem(key, JSON.stringify(value));
    return store !== null;
  } catch {
    return false;
  }
}

export function removeKey(store: KeyValueStore | null, key: string): void {
  try {
    store?.removeItem(key);
  } catch {
    // Nothing more to do: the entry stays until the next successful write or purge.
  }
}

/** Every key that starts with `prefix`. */
export function keysWithPrefix(store: KeyValueStore | null, prefix: string): string[] {
  const keys: string[] = [];
  try {
    for (let index = 0; store && index < store.length; index += 1) {
      const key = store.key(index);
      if (key?.startsWith(prefix)) {
        keys.push(key);
      }
    }
  } catch {
    return keys;
  }
  return keys;
}
