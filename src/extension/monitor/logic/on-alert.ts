/**
 * The setting `ptp.monitor.onAlert`: the name of a VS Code task, or `shell: <command>`. No vscode: unit tested.
 * The command is run by the shell as the user typed it; nothing from the data is ever spliced into it (the alert
 * travels in the file named by PTP_ALERT_FILE and on stdin).
 */
export type OnAlert = { readonly kind: 'task'; readonly name: string } | { readonly kind: 'shell'; readonly command: string } | null;

export function parseOnAlert(value: unknown): OnAlert {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (!v) return null;
  const shell = /^shell:\s*(.*)$/s.exec(v);
  if (shell) return shell[1]!.trim() ? { kind: 'shell', command: shell[1]!.trim() } : null;
  return { kind: 'task', name: v };
}

/** How the dashboard names the retraining trigger: `task "retrain"`, `command "make retrain"`, or null. */
export function describeOnAlert(o: OnAlert): string | null {
  if (!o) return null;
  return o.kind === 'task' ? `task "${o.name}"` : `command "${o.command}"`;
}

/** The env var holding the alert file's path. */
export const ALERT_FILE_ENV = 'PTP_ALERT_FILE';
