import { useEffect, useState } from 'react';

type Info = { name: string; version: string; mode: 'production' | 'development' };

/** The console shell. Sign-in and the operator screens arrive with the identity and console work. */
export function App() {
  const [info, setInfo] = useState<Info | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void window.cairn.invoke('app.info', {}).then((result) => {
      if (result.ok) setInfo(result.value);
      else setError(result.error.message);
    });
  }, []);
  return (
    <>
      {info?.mode === 'development' && <div className="mode-development" role="alert">Development mode</div>}
      <main>
        <h1>Cairn</h1>
        {error && <p role="alert">{error}</p>}
        {info && <p>Console {info.version}. Sign-in arrives with the identity module.</p>}
      </main>
    </>
  );
}
