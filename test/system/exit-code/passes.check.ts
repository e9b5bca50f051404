import { expect, it } from 'vitest';

it('passes', () => {
  expect('passing').toBe('passing');
});
