// A type's JSON form: what a rendered dashboard file can hold, so Grafana's schema types can judge a JSON literal.
//
// TypeScript enums are nominal: neither a JSON string nor the foundation SDK's own enum is assignable to
// @grafana/schema's `ThresholdsMode`. JSON has no enums, so both sides are compared with every enum
// replaced by the values it allows (string enum -> its literal strings), arrays read-only so an `as const`
// literal fits. Everything else (field names, nesting, required fields, value types) is checked as is.
export type GrafanaJson<T> = T extends string
  ? `${T}`
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends null | undefined
        ? T
        : T extends readonly (infer U)[]
          ? readonly GrafanaJson<U>[]
          : T extends object
            ? { readonly [K in keyof T]: GrafanaJson<T[K]> }
            : T;
