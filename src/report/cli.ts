export function registerReportCommands(_p: unknown): void {}
