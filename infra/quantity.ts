// Kubernetes resource quantities (250m, 512Mi, 10Gi): parsing, so config checks and tests can compare sizes.

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** The quantity in base units (cores for CPU, bytes for memory and storage). */
export function parseQuantity(text: string): number {
  const match = QUANTITY.exec(text);
  if (!match) throw new Error(`not a Kubernetes quantity: ${text}`);
  return Number(match[1]) * SUFFIX[match[2] ?? ''];
}

/** Whole mebibytes, rounded down: the unit the JVM heap flags take. */
export function mebibytes(text: string): number {
  return Math.floor(parseQuantity(text) / 1024 ** 2);
}
