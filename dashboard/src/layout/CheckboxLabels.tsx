// react-admin's Datagrid puts each row checkbox's aria-label on MUI's wrapping <span>
// (where ARIA forbids it: axe-core aria-prohibited-attr) and leaves the <input> itself
// unlabelled (axe-core label). Until react-admin passes it as inputProps, this moves the
// label onto the input for every checkbox rendered that way.
import { useEffect } from 'react';

function fix(root: ParentNode) {
  for (const span of root.querySelectorAll<HTMLElement>('.RaDatagrid-checkbox[aria-label], .select-all[aria-label]')) {
    const input = span.querySelector('input');
    if (!input) continue;
    input.setAttribute('aria-label', span.getAttribute('aria-label') ?? '');
    span.removeAttribute('aria-label');
  }
}

export const CheckboxLabels = () => {
  useEffect(() => {
    fix(document);
    const observer = new MutationObserver(() => fix(document));
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
    return () => observer.disconnect();
  }, []);
  return null;
};
