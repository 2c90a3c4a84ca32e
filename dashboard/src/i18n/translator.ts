// A translate function over a messages object, with polyglot's %{x} interpolation and
// its `_` fallback: what the specs use to read the real English and Russian messages
// without mounting react-admin.
export const translator =
  (messages: Record<string, unknown>) =>
  (key: string, options: Record<string, unknown> = {}): string => {
    const value = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), messages);
    const text = typeof value === 'string' ? value : ((options._ as string | undefined) ?? key);
    return text.replace(/%\{(\w+)\}/g, (_m, k) => String(options[k] ?? ''));
  };
