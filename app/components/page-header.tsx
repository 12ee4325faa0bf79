import type { ReactNode } from 'react';

export function PageHeader({ title, intro }: { title: ReactNode; intro: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        <p>{intro}</p>
      </div>
    </header>
  );
}
