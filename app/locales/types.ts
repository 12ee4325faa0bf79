/** The same keys as the English original, every leaf a string: a missing translation fails typecheck. */
export type Translated<T> = { [K in keyof T]: T[K] extends string ? string : Translated<T[K]> };
