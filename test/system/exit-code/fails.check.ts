import { expect, it } from 'vitest';

it('fails on purpose', () => {
  expect('failing').toBe('passing');
});
