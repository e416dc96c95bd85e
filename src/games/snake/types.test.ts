import { describe, expect, it } from 'vitest';
import { DEFAULT_SNAKE_OPTIONS, DELTAS, MOVES, parseSnakeState, resolveSnakeOptions } from './types';

// The state JSON example of docs/games.md, verbatim.
const EXAMPLE = `{"width":10,"height":10,
 "apples":[[3,4],[7,1]],
 "snakes":[{"id":1,"body":[[5,5],[5,4]],"lastMove":"UP","alive":true,"score":0},
           {"id":2,"body":[[1,8]],"lastMove":null,"alive":true,"score":0}],
 "you":1,"round":0}`;

/** The example with one field replaced, for the table of bad inputs. */
function withField(edit: (s: Record<string, unknown>) => void): unknown {
  const s = JSON.parse(EXAMPLE) as Record<string, unknown>;
  edit(s);
  return s;
}
const snake = (s: Record<string, unknown>, i: number) => (s['snakes'] as Record<string, unknown>[])[i]!;

describe('Snake types', () => {
  it('moves and deltas follow the bottom-left origin', () => {
    expect(MOVES).toEqual(['UP', 'DOWN', 'LEFT', 'RIGHT']);
    expect(DELTAS).toEqual({ UP: [0, 1], DOWN: [0, -1], LEFT: [-1, 0], RIGHT: [1, 0] });
    expect(DEFAULT_SNAKE_OPTIONS).toEqual({ width: 10, height: 10, numSnakes: 2, apples: 5, maxRounds: 100, tailRule: 'static' });
  });

  it('resolves options with defaults, ignoring undefined', () => {
    expect(resolveSnakeOptions({ width: 8, apples: undefined })).toEqual({ ...DEFAULT_SNAKE_OPTIONS, width: 8 });
    expect(() => resolveSnakeOptions({ apples: 101 })).toThrow(/apples must be an integer in \[0, 100\], got 101/);
    expect(() => resolveSnakeOptions({ maxRounds: 0 })).toThrow(/maxRounds/);
  });
});

describe('parseSnakeState', () => {
  it('accepts the docs/games.md example and returns a clean copy', () => {
    const raw = JSON.parse(EXAMPLE) as Record<string, unknown>;
    raw['note'] = 'extra fields are dropped';
    const s = parseSnakeState(raw);
    expect(s).toEqual(JSON.parse(EXAMPLE));
    expect(s).not.toHaveProperty('note');
  });

  it.each([
    ['not an object', '[1, 2]', /state must be an object/],
    ['width missing', withField((s) => delete s['width']), /width must be an integer in \[1, 100\], got undefined \(missing\)/],
    ['height too big', withField((s) => (s['height'] = 1000)), /height must be an integer in \[1, 100\], got 1000/],
    ['no snakes', withField((s) => (s['snakes'] = [])), /snakes must be an array of 1 or 2 snakes/],
    ['apple off the board', withField((s) => (s['apples'] = [[3, 4], [10, 1]])), /apples\[1\]\[0\] \(x\) must be an integer in \[0, 9\], got 10/],
    ['apple not a point', withField((s) => (s['apples'] = [[3]])), /apples\[0\] must be a point \[x, y\]/],
    ['apple on a snake', withField((s) => (s['apples'] = [[5, 4]])), /apples\[0\] \[5, 4\] is already occupied by snakes\[0\]\.body\[1\]/],
    ['bad move', withField((s) => (snake(s, 0)['lastMove'] = 'up')), /snakes\[0\]\.lastMove must be one of UP, DOWN, LEFT, RIGHT or null, got "up"/],
    ['broken body', withField((s) => (snake(s, 0)['body'] = [[5, 5], [5, 3]])), /snakes\[0\]\.body\[1\] \[5, 3\] is not next to/],
    ['empty body', withField((s) => (snake(s, 1)['body'] = [])), /snakes\[1\]\.body must be a non-empty array/],
    ['overlapping snakes', withField((s) => (snake(s, 1)['body'] = [[5, 4]])), /snakes\[1\]\.body\[0\] \[5, 4\] is already occupied by snakes\[0\]\.body\[1\]/],
    ['duplicate id', withField((s) => (snake(s, 1)['id'] = 1)), /snakes\[1\]\.id 1 is used twice/],
    ['alive not boolean', withField((s) => (snake(s, 0)['alive'] = 'yes')), /snakes\[0\]\.alive must be true or false/],
    ['negative score', withField((s) => (snake(s, 0)['score'] = -1)), /snakes\[0\]\.score must be an integer >= 0, got -1/],
    ['unknown you', withField((s) => (s['you'] = 3)), /you must be one of the snake ids 1, 2, got 3/],
    ['fractional round', withField((s) => (s['round'] = 1.5)), /round must be an integer >= 0, got 1.5/],
  ])('rejects %s, naming the field', (_, input, message) => {
    const value = typeof input === 'string' ? JSON.parse(input) : input;
    expect(() => parseSnakeState(value)).toThrow(message);
  });

  it('keeps error messages short on huge values', () => {
    const huge = withField((s) => (s['apples'] = 'x'.repeat(100_000)));
    expect(() => parseSnakeState(huge)).toThrow(/^.{0,200}$/);
  });
});
