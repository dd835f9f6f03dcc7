/** Plain records keyed by user data (class or group names), safe for any key including "__proto__". */

export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
