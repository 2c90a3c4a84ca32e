// A line diff of two JSON values (pretty-printed), for the approvals inbox: what a
// rerun changed compared with the attempt a reviewer rejected. Longest common
// subsequence over lines; outputs here are a few hundred lines at most.

export interface DiffLine {
  op: ' ' | '+' | '-';
  text: string;
}

export function jsonLines(value: unknown): string[] {
  return JSON.stringify(value ?? null, null, 2).split('\n');
}

export function diffLines(before: string[], after: string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      out.push({ op: ' ', text: before[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      out.push({ op: '-', text: before[i++] });
    } else {
      out.push({ op: '+', text: after[j++] });
    }
  }
  while (i < n) out.push({ op: '-', text: before[i++] });
  while (j < m) out.push({ op: '+', text: after[j++] });
  return out;
}
