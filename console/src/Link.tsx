/** An in-console link: a real `<a href>` (open in a new tab works), navigated on the client. */
import type { MouseEvent, ReactNode } from 'react';
import { BASE, navigate } from './router.ts';

export function Link(props: { readonly to: string; readonly children: ReactNode; readonly className?: string; readonly title?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={`${BASE}${props.to}`} onClick={onClick} className={props.className} title={props.title}>
      {props.children}
    </a>
  );
}
