const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Milliseconds of an ISO 8601 duration as Azure writes them (`PT1M`, `P14D`, `P10675199DT2H48M5.4775807S`); undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = ISO_DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().toUpperCase() === 'PT') return undefined;
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return Math.round(((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000);
}

/** The ISO 8601 duration Azure shows for `ms`, e.g. `PT1M`, `P14D`. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : days ? '' : 'T0S'}`;
}
