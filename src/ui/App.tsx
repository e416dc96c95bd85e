/**
 * The application shell: game switcher, the active game's view, and URL sync so that any position can
 * be shared. Stores are created once per page and outlive game switches, so nothing is lost by a tab
 * change.
 */
import { useEffect, useState } from 'react';
import { createRotationPlayStore } from '../store/rotationPlay';
import { createSnakePlayStore } from '../store/snakePlay';
import { DEFAULT_SNAKE_LINK_OPTIONS, formatLink, parseLink, type AppLink, type RotationLink, type SnakeLink } from '../store/url';
import type { GameId } from '../games/types';
import { RotationPlay } from './RotationPlay';
import { SnakePlay } from './SnakePlay';

const GAMES: { id: GameId; title: string; blurb: string }[] = [
  { id: 'snake', title: 'Snake', blurb: 'Two snakes, simultaneous moves; name the best and the worst move.' },
  { id: 'rotation', title: 'Rotation', blurb: 'Two views of one object; name the in-plane rotation angle.' },
];

function initialStores(link: AppLink) {
  const snakeLink: SnakeLink = link.game === 'snake'
    ? link
    : { game: 'snake', seed: 1, opponent: 'lookahead', options: DEFAULT_SNAKE_LINK_OPTIONS, moves: [] };
  const rotationLink: RotationLink = link.game === 'rotation' ? link : { game: 'rotation', seed: 1, classSet: 'default', example: true };
  const snake = createSnakePlayStore(snakeLink);
  if (snakeLink.moves.length > 0) snake.getState().load(snakeLink);
  return { snake, rotation: createRotationPlayStore(rotationLink) };
}

export function App() {
  const [start] = useState(() => parseLink(window.location.search));
  const [stores] = useState(() => initialStores(start));
  const [game, setGame] = useState<GameId>(start.game);

  useEffect(() => {
    const active = game === 'snake' ? stores.snake : stores.rotation;
    const write = () => window.history.replaceState(null, '', formatLink(active.getState().link));
    write();
    return active.subscribe((s, prev) => {
      if (s.link !== prev.link) write();
    });
  }, [game, stores]);
  useEffect(() => () => stores.snake.getState().dispose(), [stores]);

  return (
    <div className="app">
      <header className="app-head">
        <h1>ViGaL Playground</h1>
        <nav className="tabs" role="tablist" aria-label="Game">
          {GAMES.map((g) => (
            <button
              key={g.id}
              role="tab"
              aria-selected={game === g.id}
              className={game === g.id ? 'on' : ''}
              onClick={() => setGame(g.id)}
              title={g.blurb}
            >
              {g.title}
            </button>
          ))}
        </nav>
        <p className="tagline">{GAMES.find((g) => g.id === game)?.blurb}</p>
      </header>
      <main role="tabpanel" aria-label={game === 'snake' ? 'Snake' : 'Rotation'}>
        {game === 'snake' ? <SnakePlay store={stores.snake} /> : <RotationPlay store={stores.rotation} />}
      </main>
    </div>
  );
}
