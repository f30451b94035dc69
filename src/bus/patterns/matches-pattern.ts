/**
 * TestEventPattern: does this event (JSON text) match this pattern (JSON text)? Invalid patterns
 * throw `PatternError` with AWS's message. The event text is parsed keeping number texts, so
 * numbers that are not exactly a double are matched as event-ruler matches them.
 */
import { compileRules } from './compile-rules.ts';
import { parseEventText } from './json-text.ts';
import { parsePattern } from './parse-pattern.ts';

export function matchesPattern(patternText: string, eventText: string): boolean {
  const matcher = compileRules([{ id: 'pattern', pattern: parsePattern(patternText) }]);
  return matcher.match(parseEventText(eventText)).length > 0;
}
