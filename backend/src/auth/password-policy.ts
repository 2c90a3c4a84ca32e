// What a password must be, wherever one is set: accepting an invitation, changing one's
// password, and the bootstrap's first admin. At least 12 characters (at most 200), not
// one of the passwords everybody tries first, not one character or a keyboard/alphabet
// run repeated, and not the account's own e-mail.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

// Common passwords of 12 characters or more (from the usual leaked-password top lists),
// and this product's own demo password. Compared case-insensitively.
const COMMON = new Set([
  'password1234',
  'password12345',
  'password123456',
  'password1234567',
  'password12345678',
  'passwordpassword',
  'password123!',
  'password!123',
  'p@ssw0rd1234',
  'p@ssword1234',
  'passw0rd1234',
  'mypassword123',
  'mypassword1234',
  'changeme1234',
  'changemenow1',
  'changeme123!',
  'letmein12345',
  'letmein123456',
  'welcome12345',
  'welcome123456',
  'welcome2024!',
  'welcome2025!',
  'welcome2026!',
  'iloveyou1234',
  'administrator',
  'administrator1',
  'admin1234567',
  'admin12345678',
  'adminadmin12',
  'adminpassword',
  'qwertyuiop12',
  'qwertyuiop123',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'q1w2e3r4t5y6',
  'trustno1trustno1',
  'football1234',
  'baseball1234',
  'superman1234',
  'starwars1234',
  'sunshine1234',
  'princess1234',
  'dragon123456',
  'monkey123456',
  'master123456',
  'whatever1234',
  'secret123456',
  'mission-control',
  'missioncontrol',
  'mission-control1',
  'mission-control123',
  'correcthorsebatterystaple',
]);

const RUNS = ['0123456789012345678901234567890', 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', '1234567890qwertyuiop'];

/** Why this password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is a commonly used password; choose another';
  if (new Set(lower).size <= 2) return 'repeats one or two characters; choose another';
  const backwards = (s: string) => [...s].reverse().join('');
  if (RUNS.some((run) => run.includes(lower) || backwards(run).includes(lower))) return 'is a keyboard or alphabet sequence; choose another';
  if (email) {
    const e = email.toLowerCase();
    if (lower === e || lower === e.split('@')[0]) return 'must not be the e-mail address';
  }
  return null;
}
