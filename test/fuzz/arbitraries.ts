import fc from 'fast-check';

/**
 * Adversarial inputs shared by the fuzz suites: the strings attackers and broken clients send —
 * template and expansion syntax, SQL fragments, path traversal, control characters, lone
 * surrogates, prototype-pollution keys, very long strings — mixed with ordinary random ones.
 */

export const NASTY_STRINGS = [
  '', ' ', '\u0000', '\r\n', 'a\rb', '\u2028', '\ud800', '\udfff', '${APP_KEY}', '{{7*7}}', '{% include "x" %}', '<%= 7*7 %>', '#{7*7}',
  "' OR '1'='1", '1; DROP TABLE incidents; --', '../../etc/passwd', '..\\..\\windows', '%2e%2e%2f', 'javascript:alert(1)', '<script>alert(1)</script>',
  '__proto__', 'constructor', 'prototype', 'NaN', 'Infinity', '-0', '1e309', '0x10', '٣', '𝟘', 'ﬀ', 'x'.repeat(5000),
];

export const adversarialText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => s.repeat(2000)) },
);

const KEYS = fc.oneof(
  fc.constantFrom('name', 'message', 'status', 'visible', 'component_id', 'component_status', 'group_id', 'order', 'enabled', 'link', 'value', 'timestamp', 'email', 'components', 'template', 'vars', 'id', 'tags', 'meta', 'stickied', 'occurred_at', 'scheduled_at', 'suffix', 'calc_type', 'threshold', 'notify'),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  adversarialText,
);

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  adversarialText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, 1, 2, 4, 6, -1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, true, false, null),
);

/** JSON values: objects with field names a route expects (and poisonous ones), nested a few levels. */
export const adversarialJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('object'), tie('array')),
  object: fc.dictionary(KEYS, tie('value'), { maxKeys: 6 }),
  array: fc.array(tie('value'), { maxLength: 5 }),
})).value.map((v) => v);
