/**
 * Every registered game, one line each: `export { <id>Game as <id> } from './<id>/game';`. The export
 * name is the game's id (GameId is these names); games/registry.ts orders and serves them. Adding a game
 * is its folder plus one line here (docs/architecture.md, Adding a game).
 */
export { snakeGame as snake } from './snake/game';
export { rotationGame as rotation } from './rotation/game';
export { jigsawGame as jigsaw } from './jigsaw/game';
