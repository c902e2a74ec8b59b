/**
 * The neutral tree presenters build and the writers turn into JSON or XML (house style: one tree feeds
 * both). Plain objects are elements with child elements; `ref()` marks a nested reference
 * (`{"id":1,"name":"x"}` / `<project id="1" name="x"/>`); `node()` an element with identifying
 * attributes and children (`<custom_field id="1" name="x"><value>…</value></custom_field>`);
 * `list()` an array whose XML items need an element name.
 */

/** Brands the tagged values, so a plain object's own keys can never be mistaken for a tag. */
export const TAG: unique symbol = Symbol('kanri.api.tag');

export interface FloatValue {
  readonly [TAG]: 'float';
  readonly value: number;
}
export interface TimeValue {
  readonly [TAG]: 'time';
  /** A Date, or text already in the API's form (`2006-07-19T17:12:21Z`). */
  readonly value: Date | string;
}
export type Scalar = string | number | boolean | null | FloatValue | TimeValue;

export interface RefValue {
  readonly [TAG]: 'ref';
  readonly fields: Readonly<Record<string, Scalar>>;
}
export interface NodeValue {
  readonly [TAG]: 'node';
  readonly attributes: Readonly<Record<string, Scalar>>;
  readonly fields: ApiObject;
}
export interface ListValue {
  readonly [TAG]: 'list';
  /** Element name of each item in XML. */
  readonly itemName: string;
  readonly items: readonly ApiValue[];
}
export type ApiObject = { readonly [key: string]: ApiValue | undefined };
export type ApiValue = Scalar | RefValue | NodeValue | ListValue | ApiObject;

/** A number Redmine emits as a Ruby float (`2.0`, never `2`). Null stays null. */
export function float(value: number | null | undefined): FloatValue | null {
  return value === null || value === undefined ? null : { [TAG]: 'float', value };
}

/** A timestamp: ISO-8601 UTC without fractional seconds. Null stays null. */
export function time(value: Date | null | undefined): TimeValue | null {
  return value ? { [TAG]: 'time', value } : null;
}

/**
 * A timestamp the database already wrote in the API's form (`to_char(…, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
 * as the repositories select them), kept as text: parsing it into a Date to print it back cost a
 * list a tenth of its writing time. Null stays null.
 */
export function isoTime(text: string | null | undefined): TimeValue | null {
  return text ? { [TAG]: 'time', value: text } : null;
}

export function ref(fields: Record<string, Scalar>): RefValue {
  return { [TAG]: 'ref', fields };
}

export function node(attributes: Record<string, Scalar>, fields: ApiObject): NodeValue {
  return { [TAG]: 'node', attributes, fields };
}

export function list(itemName: string, items: readonly ApiValue[]): ListValue {
  return { [TAG]: 'list', itemName, items };
}

export type Tagged = FloatValue | TimeValue | RefValue | NodeValue | ListValue;

export function isTagged(value: ApiValue): value is Tagged {
  return typeof value === 'object' && value !== null && TAG in value;
}

/** Collection meta as Redmine emits it beside the array (absent with `nometa`). */
export interface CollectionMeta {
  readonly totalCount: number;
  readonly offset?: number;
  readonly limit?: number;
}

/** What an API route answers: one resource under its root name, or a collection. */
export type ApiDocument =
  | { readonly kind: 'resource'; readonly root: string; readonly value: ApiValue }
  | {
      readonly kind: 'collection';
      readonly root: string;
      readonly itemName: string;
      readonly items: readonly ApiValue[];
      readonly meta: CollectionMeta | undefined;
    };

export function resource(root: string, value: ApiValue): ApiDocument {
  return { kind: 'resource', root, value };
}

export function collection(root: string, itemName: string, items: readonly ApiValue[], meta?: CollectionMeta): ApiDocument {
  return { kind: 'collection', root, itemName, items, meta };
}
