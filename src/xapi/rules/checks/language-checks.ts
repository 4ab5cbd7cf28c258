/**
 * RFC 5646 checks for every language map key and for context.language (xAPI Data 2.2, 4.2).
 */
import { isWellFormedLanguageTag } from '../data-types/language-tag.js';
import { isJsonObject } from '../json.js';
import { formatPath, type PathSegment } from '../json-path.js';
import { describe } from '../library-validation.js';
import { collectActivities, statementParts } from '../statement-walk.js';
import type { RuleError } from '../types.js';

const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;

/** Every language map in a statement, with its path (maps that are not objects are skipped). */
export function languageMaps(
  statement: unknown,
  root: PathSegment[],
): { map: Record<string, unknown>; path: PathSegment[] }[] {
  const maps: { map: Record<string, unknown>; path: PathSegment[] }[] = [];
  const add = (value: unknown, path: PathSegment[]): void => {
    if (isJsonObject(value)) maps.push({ map: value, path });
  };
  for (const part of statementParts(statement, root)) {
    if (isJsonObject(part.node.verb)) add(part.node.verb.display, [...part.path, 'verb', 'display']);
    const attachments = part.node.attachments;
    if (Array.isArray(attachments)) {
      attachments.forEach((attachment, index) => {
        if (!isJsonObject(attachment)) return;
        add(attachment.display, [...part.path, 'attachments', index, 'display']);
        add(attachment.description, [...part.path, 'attachments', index, 'description']);
      });
    }
  }
  for (const activity of collectActivities(statement, root)) {
    const definition = activity.node.definition;
    if (!isJsonObject(definition)) continue;
    const path = [...activity.path, 'definition'];
    add(definition.name, [...path, 'name']);
    add(definition.description, [...path, 'description']);
    for (const list of COMPONENT_LISTS) {
      const components = definition[list];
      if (!Array.isArray(components)) continue;
      components.forEach((component, index) => {
        if (isJsonObject(component)) add(component.description, [...path, list, index, 'description']);
      });
    }
  }
  return maps;
}

/** Language map keys and context.language must be well-formed RFC 5646 tags. */
export function languageErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  for (const { map, path } of languageMaps(statement, root)) {
    for (const key of Object.keys(map)) {
      if (!isWellFormedLanguageTag(key)) {
        errors.push({
          path: formatPath([...path, key]),
          message: `"${key}" is not an RFC 5646 language tag; language map keys are tags such as "en", "en-US" or "zh-Hant" (xAPI Data 4.2)`,
        });
      }
    }
  }
  for (const part of statementParts(statement, root)) {
    const context = part.node.context;
    if (!isJsonObject(context) || context.language === undefined) continue;
    if (!isWellFormedLanguageTag(context.language)) {
      errors.push({
        path: formatPath([...part.path, 'context', 'language']),
        message: `${describe(context.language)} is not an RFC 5646 language tag such as "en-US" (xAPI Data 2.4.6)`,
      });
    }
  }
  return errors;
}
