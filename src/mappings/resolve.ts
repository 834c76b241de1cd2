/**
 * The resolver: map rules + both live schemas -> one plan per document, and every problem
 * found on the way (the integrity check). It reports all problems at once, each with the rule
 * that fixes it, instead of stopping at the first.
 */
import type { ColumnInfo, SchemaSnapshot, TableInfo } from '../db/schema.js';
import { pagingKey } from '../db/schema.js';
import { nearest } from '../util/nearest.js';
import { fieldName, namePart, splitFieldName } from './field-name.js';
import { fieldIgnoreRule, type MapRules, type TransformRule } from './map-rules.js';
import { PatternList } from './pattern.js';
import type { BoundHandler, ColumnMapping, DocumentOwner, DocumentPlan } from './plan.js';
import type { Problem } from './problems.js';
import { narrowing } from './type-narrowing.js';

export interface ResolveInput {
  rules: MapRules;
  source: SchemaSnapshot;
  destination: SchemaSnapshot;
  sourcePrefix: string;
  destPrefix: string;
  /** Source documents the settings step copies (its configuration table and `documents`). */
  settingsDocuments?: readonly string[];
  /**
   * Tables the tool itself keeps, never documents (the progress table, the change logs it
   * created): for each side, what a table is when it is one of them, else null. Each table
   * left out this way is listed in `hidden`, so nothing disappears unseen.
   */
  toolTables?: { source?: ToolTableTest; destination?: ToolTableTest };
}

export type ToolTableTest = (table: TableInfo) => string | null;

/** A table left out of the documents because the tool made it. */
export interface HiddenTable {
  side: 'source' | 'destination';
  table: string;
  /** What it is, e.g. "change log of delta tracking". */
  what: string;
}

export interface Resolution {
  plans: DocumentPlan[];
  /** Source documents left out on purpose, with the rule that did it. */
  ignored: Array<{ document: string; rule: string }>;
  /** Tables left out as the tool's own. */
  hidden: HiddenTable[];
  problems: Problem[];
}

export function resolvePlans(input: ResolveInput): Resolution {
  const { rules } = input;
  const file = rules.fileName;
  const problems: Problem[] = [];
  const hidden: HiddenTable[] = [];
  const sourceDocs = documentsOf(input.source, input.sourcePrefix, {
    side: 'source',
    test: input.toolTables?.source,
    hidden,
  });
  const destDocs = documentsOf(input.destination, input.destPrefix, {
    side: 'destination',
    test: input.toolTables?.destination,
    hidden,
  });
  const settingsOwned = new Set(input.settingsDocuments ?? []);

  const plans: DocumentPlan[] = [];
  const ignored: Resolution['ignored'] = [];
  const filledBy = new Map<string, string>();
  const unmappedSources: string[] = [];

  for (const [document, table] of sourceDocs) {
    const ignoreRule = rules.source.ignoreDocuments.matching(document);
    if (ignoreRule) {
      ignored.push({ document, rule: `source.documents.ignore "${ignoreRule}"` });
      continue;
    }
    const renamed = rules.source.renameDocuments.get(document);
    const destinationDocument = renamed ?? document;
    const destTable = destDocs.get(destinationDocument);
    if (!destTable || rules.destination.ignoreDocuments.matches(destinationDocument)) {
      if (renamed) {
        problems.push({
          severity: 'error',
          code: 'DOCUMENT_RENAME_TARGET_MISSING',
          document,
          message: `source.documents.rename maps ${document} to ${renamed}, which the destination ${destTable ? 'ignores' : 'does not have'}`,
          fix: `correct the rename of ${json(document)} in ${file}, or add ${json(document)} to source.documents.ignore in ${file}`,
        });
      } else {
        unmappedSources.push(document);
      }
      continue;
    }
    const earlier = filledBy.get(destinationDocument);
    if (earlier) {
      problems.push({
        severity: 'error',
        code: 'DOCUMENTS_SHARE_DESTINATION',
        document,
        message: `${document} and ${earlier} both map to destination document ${destinationDocument}`,
        fix: `add one of them to source.documents.ignore in ${file}, or rename it elsewhere`,
      });
      continue;
    }
    filledBy.set(destinationDocument, document);
    const owner: DocumentOwner = settingsOwned.has(document) ? 'settings' : 'data';
    plans.push(planDocument(input, document, table, destinationDocument, destTable, owner, problems));
  }

  const unfilled = [...destDocs.keys()].filter(
    (d) => !filledBy.has(d) && !rules.destination.ignoreDocuments.matches(d),
  );
  const suggested = new Map<string, string>(); // destination -> the unmapped source document nearest to it
  for (const document of unmappedSources) {
    const candidate = nearest(document, unfilled);
    if (candidate) suggested.set(candidate, document);
    problems.push({
      severity: 'error',
      code: 'SOURCE_DOCUMENT_UNMAPPED',
      document,
      message: `source document ${document} is neither mapped to a destination document nor ignored`,
      fix: candidate
        ? `add ${json(document)}: ${json(candidate)} to source.documents.rename in ${file}, or add ${json(document)} to source.documents.ignore`
        : `add ${json(document)} to source.documents.ignore in ${file}, or map it with source.documents.rename: { ${json(document)}: "<destination document>" }`,
    });
  }
  for (const document of unfilled) {
    const candidate = suggested.get(document) ?? nearest(document, unmappedSources);
    problems.push({
      severity: 'error',
      code: 'DESTINATION_DOCUMENT_UNFILLED',
      document,
      message: `destination document ${document} is filled by no source document and not ignored`,
      fix: candidate
        ? `add ${json(candidate)}: ${json(document)} to source.documents.rename in ${file}, or add ${json(document)} to destination.documents.ignore`
        : `add ${json(document)} to destination.documents.ignore in ${file}, or rename a source document to it in source.documents.rename`,
    });
  }
  problems.push(...unusedRules(input, sourceDocs, destDocs));
  return { plans, ignored, hidden, problems };
}

/**
 * What to do about a narrowing type: for a shorter string, the built-in truncate handler with
 * the destination's length and what it does to longer values; otherwise widen the column.
 */
function narrowingFix(field: string, destination: ColumnInfo | undefined, file: string): string {
  const length = destination?.maxLength;
  if (length === null || length === undefined || !TEXT_OR_BINARY.test(destination?.dataType ?? '')) {
    return `widen the destination column, or add a transform for ${JSON.stringify(field)} to source.fields.transform in ${file} that makes values fit (see README, Handlers)`;
  }
  return (
    `widen the destination column, or add { "field": ${JSON.stringify(field)}, "handler": "truncate", "params": { "length": ${length} } } ` +
    `to source.fields.transform in ${file}: values longer than ${length} are cut to ${length}; with "reject": true in params such rows are rejected instead (listed in the rejected-rows file)`
  );
}

const TEXT_OR_BINARY = /char|text|binary|blob/;

/** Documents of one side: tables carrying the prefix, without it; the tool's own tables left out and listed. */
function documentsOf(
  snapshot: SchemaSnapshot,
  prefix: string,
  toolTables: { side: HiddenTable['side']; test: ToolTableTest | undefined; hidden: HiddenTable[] },
): Map<string, TableInfo> {
  const documents = new Map<string, TableInfo>();
  for (const [table, info] of [...snapshot].sort(([a], [b]) => a.localeCompare(b))) {
    const what = toolTables.test?.(info) ?? null;
    if (what !== null) {
      toolTables.hidden.push({ side: toolTables.side, table, what });
      continue;
    }
    if (!table.startsWith(prefix)) continue;
    documents.set(table.slice(prefix.length), info);
  }
  return documents;
}

function planDocument(
  input: ResolveInput,
  document: string,
  source: TableInfo,
  destinationDocument: string,
  destination: TableInfo,
  owner: DocumentOwner,
  problems: Problem[],
): DocumentPlan {
  const { rules } = input;
  const file = rules.fileName;
  const destColumns = new Map(destination.columns.map((c) => [c.name, c]));
  const sourceOf = new Map<string, string>(); // destination column -> source column
  const unmappedFields: ColumnInfo[] = [];

  const destinationIgnore = (column: ColumnInfo) =>
    fieldIgnoreRule(
      rules.destination,
      'destination',
      fieldName(destinationDocument, column.name),
      column.dataType,
    );
  for (const column of source.columns) {
    const qualified = fieldName(document, column.name);
    if (fieldIgnoreRule(rules.source, 'source', qualified, column.dataType)) continue;
    const rename = rules.source.renameFields.get(qualified);
    let target = column.name;
    if (rename) {
      const parts = splitFieldName(rename);
      const renameDocument = parts?.document ?? rename;
      target = parts?.field ?? '';
      if (renameDocument !== destinationDocument) {
        problems.push({
          severity: 'error',
          code: 'FIELD_RENAME_WRONG_DOCUMENT',
          document,
          field: column.name,
          message: `source.fields.rename maps ${qualified} into ${renameDocument}, but ${document} is copied to ${destinationDocument}`,
          fix: `write the target as ${json(fieldName(destinationDocument, target))} in source.fields.rename of ${file}`,
        });
        continue;
      }
    }
    const destColumn = destColumns.get(target);
    if (!destColumn) {
      if (rename) {
        problems.push({
          severity: 'error',
          code: 'FIELD_RENAME_TARGET_MISSING',
          document,
          field: column.name,
          message: `source.fields.rename maps ${qualified} to ${rename}, which the destination does not have`,
          fix: `correct the rename of ${json(qualified)} in ${file} (destination columns: ${[...destColumns.keys()].join(', ')})`,
        });
      } else {
        unmappedFields.push(column);
      }
      continue;
    }
    if (destinationIgnore(destColumn)) continue;
    if (destColumn.generated) {
      problems.push({
        severity: 'warning',
        code: 'DESTINATION_FIELD_GENERATED',
        document,
        field: column.name,
        message: `${fieldName(destinationDocument, target)} is a generated column; ${qualified} is not copied into it`,
        fix: `add ${json(qualified)} to source.fields.ignore in ${file} to say so`,
      });
      continue;
    }
    const earlier = sourceOf.get(target);
    if (earlier) {
      problems.push({
        severity: 'error',
        code: 'FIELDS_SHARE_DESTINATION',
        document,
        field: column.name,
        message: `${qualified} and ${fieldName(document, earlier)} both map to ${fieldName(destinationDocument, target)}`,
        fix: `ignore or rename one of them in ${file}`,
      });
      continue;
    }
    sourceOf.set(target, column.name);
  }

  const sourceHandlers = bindHandlers(rules.source.transforms, document, source.columns);
  const destinationHandlers = bindHandlers(
    rules.destination.transforms,
    destinationDocument,
    destination.columns,
  );
  const transformedDest = new Set(destinationHandlers.map((h) => h.field));
  const transformedSource = new Set(sourceHandlers.map((h) => h.field));

  const columns: ColumnMapping[] = [];
  const unfilled: Array<{ column: ColumnInfo; ignoredBy: string | undefined }> = [];
  const open: string[] = []; // destination columns nothing fills: rename candidates
  for (const column of destination.columns) {
    if (column.generated) continue;
    const from = sourceOf.get(column.name) ?? null;
    if (from !== null || transformedDest.has(column.name)) {
      columns.push({ destination: column.name, source: from });
      continue;
    }
    // An ignored field is still written by the INSERT's column list leaving it out: the
    // database then needs a value from somewhere, and refuses even an empty INSERT ... SELECT.
    const ignoredBy = destinationIgnore(column);
    const required = !column.nullable && !column.hasDefault && !column.autoIncrement;
    if (required) unfilled.push({ column, ignoredBy });
    if (ignoredBy === undefined) open.push(column.name);
  }

  for (const column of unmappedFields) {
    const candidate = nearest(column.name, open);
    const qualified = fieldName(document, column.name);
    problems.push({
      severity: 'error',
      code: 'SOURCE_FIELD_UNMAPPED',
      document,
      field: column.name,
      message: `source field ${qualified} has no destination field in ${destinationDocument} and is not ignored`,
      fix: candidate
        ? `add ${json(qualified)}: ${json(fieldName(destinationDocument, candidate))} to source.fields.rename in ${file}, or add ${json(qualified)} to source.fields.ignore`
        : `add ${json(qualified)} to source.fields.ignore in ${file}, or rename it with source.fields.rename: { ${json(qualified)}: "${namePart(destinationDocument)}.<field>" }`,
    });
  }
  const unmappedNames = unmappedFields.map((c) => c.name);
  for (const { column, ignoredBy } of unfilled) {
    const candidate = ignoredBy === undefined ? nearest(column.name, unmappedNames) : undefined;
    const qualified = fieldName(destinationDocument, column.name);
    const setValue = `add { "field": ${json(qualified)}, "handler": "setValue", "params": { "value": "..." } } to destination.fields.transform in ${file}`;
    problems.push({
      severity: 'error',
      code: 'DESTINATION_FIELD_UNFILLED',
      document,
      field: column.name,
      message: ignoredBy
        ? `destination field ${qualified} is NOT NULL without a default and is ignored by ${ignoredBy}: the database refuses every row (and even an empty INSERT ... SELECT) without a value for it`
        : `destination field ${qualified} is NOT NULL without a default, and nothing fills it`,
      fix: ignoredBy
        ? `${setValue} (a transform fills the field despite the ignore rule), or give the column a default in the destination`
        : candidate
          ? `add ${json(fieldName(document, candidate))}: ${json(qualified)} to source.fields.rename in ${file}`
          : setValue,
    });
  }

  const sourceColumnsByName = new Map(source.columns.map((c) => [c.name, c]));
  problems.push(
    ...missingHandlerFields(sourceHandlers, document, new Set(sourceColumnsByName.keys()), 'source', file),
    ...missingHandlerFields(
      destinationHandlers,
      destinationDocument,
      new Set(columns.map((c) => c.destination)),
      'destination',
      file,
    ).map((p) => ({ ...p, document })),
  );
  for (const { destination: destName, source: sourceName } of columns) {
    if (sourceName === null || transformedSource.has(sourceName) || transformedDest.has(destName)) continue;
    const from = sourceColumnsByName.get(sourceName);
    const to = destColumns.get(destName);
    const reason = from && to ? narrowing(from, to) : undefined;
    if (reason) {
      problems.push({
        severity: 'warning',
        code: 'TYPE_NARROWING',
        document,
        field: sourceName,
        message: `${fieldName(document, sourceName)} -> ${fieldName(destinationDocument, destName)}: ${reason}; rows whose value does not fit are rejected`,
        fix: narrowingFix(fieldName(document, sourceName), to, file),
      });
    }
  }

  const key = pagingKey(source);
  if (!key && owner === 'data') {
    problems.push({
      severity: 'info',
      code: 'NO_PAGING_KEY',
      document,
      message: `${document} has no primary key or NOT NULL unique key: it is copied in one streamed read and resumes only as a whole`,
      fix: `add a primary key to ${source.name} on the source to make its copy resumable chunk by chunk`,
    });
  }
  const read = new Set<string>([
    ...columns.flatMap((c) => (c.source ? [c.source] : [])),
    ...(key ?? []),
    ...sourceHandlers.flatMap((h) => [h.field, ...(h.handler.reads ?? [])]),
  ]);
  const sourceColumns = source.columns.map((c) => c.name).filter((name) => read.has(name));
  const handlers = [...sourceHandlers, ...destinationHandlers];
  return {
    document,
    destinationDocument,
    sourceTable: source.name,
    destinationTable: destination.name,
    owner,
    sourceColumns,
    sourceTypes: sourceColumns.map((name) => sourceColumnsByName.get(name)?.dataType ?? ''),
    columns,
    destinationTypes: columns.map((c) => destColumns.get(c.destination)?.dataType ?? ''),
    sourceHandlers,
    destinationHandlers,
    key,
    destinationKey: destinationKeyOf(key, columns, transformedSource, transformedDest),
    sqlExpressible: handlers.every((h) => typeof h.handler.sql === 'function'),
    estimatedRows: source.estimatedRows,
    estimatedBytes: source.estimatedBytes,
    destinationAutoIncrement: destination.columns.some((c) => c.autoIncrement),
  };
}

/**
 * A handler that reads another field of the row (copyField, setValue's template and when) finds
 * it in the row its side sees: a source column, or a destination field the map fills. Without
 * it every row would be rejected, after a clean dry run.
 */
function missingHandlerFields(
  handlers: readonly BoundHandler[],
  document: string,
  fields: ReadonlySet<string>,
  side: 'source' | 'destination',
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const bound of handlers) {
    for (const read of bound.handler.reads ?? []) {
      if (fields.has(read)) continue;
      problems.push({
        severity: 'error',
        code: 'HANDLER_FIELD_MISSING',
        document,
        field: bound.field,
        message: `${side} handler ${bound.name} on ${fieldName(document, bound.field)} reads field ${read}, which the ${side} row of ${document} does not have${side === 'destination' ? ' (destination handlers see the destination fields the map fills)' : ''}`,
        fix: `correct the field name in the params of that transform in ${file} (fields there: ${[...fields].join(', ')})`,
      });
    }
  }
  return problems;
}

function bindHandlers(
  rules: readonly TransformRule[],
  document: string,
  columns: ColumnInfo[],
): BoundHandler[] {
  const bound: BoundHandler[] = [];
  for (const rule of rules) {
    for (const column of columns) {
      if (!rule.fieldPattern.matches(fieldName(document, column.name))) continue;
      bound.push({ field: column.name, name: rule.name, handler: rule.definition.create(rule.params) });
    }
  }
  return bound;
}

function destinationKeyOf(
  key: string[] | null,
  columns: ColumnMapping[],
  transformedSource: Set<string>,
  transformedDest: Set<string>,
): string[] | null {
  if (!key) return null;
  const destinationKey: string[] = [];
  for (const column of key) {
    const mapping = columns.find((c) => c.source === column);
    if (!mapping || transformedSource.has(column) || transformedDest.has(mapping.destination)) return null;
    destinationKey.push(mapping.destination);
  }
  return destinationKey;
}

/** Rules that name something that does not exist are usually typos: say so. */
function unusedRules(
  input: ResolveInput,
  sourceDocs: Map<string, TableInfo>,
  destDocs: Map<string, TableInfo>,
): Problem[] {
  const { rules } = input;
  const file = rules.fileName;
  const problems: Problem[] = [];
  const unused = (document: string, message: string, fix: string) =>
    problems.push({ severity: 'warning', code: 'RULE_UNUSED', document, message, fix });
  for (const document of rules.source.renameDocuments.keys()) {
    if (!sourceDocs.has(document)) {
      const near = nearest(document, sourceDocs.keys());
      unused(
        document,
        `source.documents.rename names ${document}, which the source does not have`,
        near ? `did you mean "${near}"? correct it in ${file}` : `remove it from ${file}`,
      );
    }
  }
  for (const qualified of rules.source.renameFields.keys()) {
    const parts = splitFieldName(qualified);
    const table = parts ? sourceDocs.get(parts.document) : undefined;
    if (!table?.columns.some((c) => c.name === parts?.field)) {
      unused(
        parts?.document ?? qualified,
        `source.fields.rename names ${qualified}, which the source does not have`,
        `correct or remove it in ${file}`,
      );
    }
  }
  const anyField = (docs: Map<string, TableInfo>, rule: TransformRule) =>
    [...docs].some(([name, t]) => t.columns.some((c) => rule.fieldPattern.matches(fieldName(name, c.name))));
  for (const rule of rules.source.transforms) {
    if (!anyField(sourceDocs, rule)) {
      unused(
        splitFieldName(rule.field)?.document ?? rule.field,
        `source.fields.transform names ${rule.field}, which matches no source field`,
        `correct or remove it in ${file}`,
      );
    }
  }
  for (const [side, docs] of [
    ['source', sourceDocs],
    ['destination', destDocs],
  ] as const) {
    const types = new Set([...docs.values()].flatMap((t) => t.columns.map((c) => c.dataType.toLowerCase())));
    for (const pattern of rules[side].ignoreTypes.patterns) {
      if (![...types].some((type) => new PatternList([pattern]).matches(type))) {
        unused(
          pattern,
          `${side}.fields.ignoreTypes names ${pattern}, a type no ${side} field has (types there: ${[...types].sort().join(', ')})`,
          `correct or remove it in ${file}`,
        );
      }
    }
  }
  for (const rule of rules.destination.transforms) {
    if (!anyField(destDocs, rule)) {
      unused(
        splitFieldName(rule.field)?.document ?? rule.field,
        `destination.fields.transform names ${rule.field}, which matches no destination field`,
        `correct or remove it in ${file}`,
      );
    }
  }
  return problems;
}

/** A name as a JSON string, so a fix hint can be pasted into map.json whatever the name holds. */
function json(name: string): string {
  return JSON.stringify(name);
}
