export interface Migration {
  /** 1, 2, 3… with no gaps. A released migration is never edited: add a new one. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
