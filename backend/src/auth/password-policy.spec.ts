import { passwordProblem } from './password-policy';

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('violet-harbour-71-quartz')).toBeNull();
    expect(passwordProblem('Tr0ub4dor&3-plus-more')).toBeNull();
  });

  it.each([
    ['short1!', 'must be at least 12 characters'],
    ['Password1234', 'is a commonly used password; choose another'],
    ['mission-control', 'is a commonly used password; choose another'],
    ['aaaaaaaaaaaaaaa', 'repeats one or two characters; choose another'],
    ['abababababababab', 'repeats one or two characters; choose another'],
    ['123456789012', 'is a keyboard or alphabet sequence; choose another'],
    ['qwertyuiopasdf', 'is a keyboard or alphabet sequence; choose another'],
    ['lkjhgfdsapoiuytrewq'.slice(0, 12), 'is a keyboard or alphabet sequence; choose another'],
    ['x'.repeat(100) + 'y'.repeat(101), 'must be at most 200 characters'],
  ])('refuses %s', (password, reason) => {
    expect(passwordProblem(password)).toBe(reason);
  });

  it('refuses the account e-mail or its local part', () => {
    expect(passwordProblem('first.admin@example.com', 'First.Admin@example.com')).toBe('must not be the e-mail address');
    expect(passwordProblem('first.admin.ops', 'first.admin.ops@example.com')).toBe('must not be the e-mail address');
  });
});
