/**
 * What `vigal serve` makes of a chat completion request: the checked request fields, and the input the
 * nano model gets for it.
 *
 * The nano model is single-turn and was trained on one input shape: the compact prompt and its own small
 * raster (config.imageSize, no axes). So:
 *   - it answers the LAST user message: its text parts joined by newlines, its images in order; system,
 *     assistant and earlier user messages are not shown to it (it has no chat template);
 *   - when that text is ViGaL's full Snake prompt (what the app and `vigal eval` send to OpenAI
 *     policies, with a 320 px board), the position is read back from the coordinates the prompt states
 *     and the model gets its own observation of it (compact prompt + its raster), exactly what the nano
 *     policy builds in-process. The one fact the text lacks, which way a one-cell enemy's head points,
 *     is read from the image sent (the candidate boards are drawn and the closest one kept); otherwise the
 *     image is decoded and checked but not shown to the model, which never saw 320 px boards with axes;
 *   - any other text is fed as sent (words outside the vocabulary become [UNK]), with the images scaled
 *     to imageSize (box filter; a non-square image is stretched).
 * The response header `x-vigal-input` says which of the two happened ('rebuilt' or 'as-sent').
 */
import { MOVES, snakeScene, type Move, type SnakeState } from '../games/snake';
import { isFullSnakePrompt, readFullSnakePrompt } from '../games/snake/readPrompt';
import type { ModelConfig } from '../model/config';
import { nanoObservation } from '../policy/nano';
import { base64ToBytes } from '../policy/openai';
import { decodePng } from '../render/png';
import { rasterize, type Raster } from '../render/raster';
import { badRequest, clip, shown } from './errors';
import { checkPngBudget, ImageTooLargeError, MAX_IMAGE_PIXELS } from './pngBudget';

export interface ChatInput {
  model: string;
  stream: boolean;
  /** stream_options.include_usage: a last chunk with the token counts. */
  includeUsage: boolean;
  temperature: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  /** The last user message. */
  text: string;
  images: Raster[];
}

export interface NanoInput {
  prompt: string;
  images: Raster[];
  /** 'rebuilt': read from a full Snake prompt; 'as-sent': the request's own text and images. */
  source: 'rebuilt' | 'as-sent';
}

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];

export interface ChatLimits {
  /** Images one request may carry; counted before any is decoded. */
  maxImages: number;
  /** Pixels one image may have (its header is read before it is decoded). Default MAX_IMAGE_PIXELS. */
  maxPixels?: number;
}

/** Checks a parsed JSON body; throws ApiError (400) naming the field and what would be valid. */
export function parseChatRequest(body: unknown, limits: ChatLimits): ChatInput {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the request body must be a JSON object with "model" and "messages"', 'invalid_body');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model.trim() === '')
    throw badRequest('missing "model": name the model to use (GET /v1/models lists them)', 'missing_model', 'model');
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    throw badRequest('missing "messages": send a non-empty list like [{"role": "user", "content": "..."}]', 'missing_messages', 'messages');
  }
  const num = (name: string, lo: number, hi: number, int = false): number | undefined => {
    const v = b[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !(v >= lo && v <= hi) || (int && !Number.isInteger(v))) {
      throw badRequest(`"${name}" must be ${int ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${shown(v)}`, 'invalid_value', name);
    }
    return v;
  };
  const temperature = num('temperature', 0, 2) ?? 0;
  const topP = num('top_p', 0, 1);
  const maxTokens = num('max_completion_tokens', 1, 1_000_000, true) ?? num('max_tokens', 1, 1_000_000, true);
  const seed = num('seed', 0, 0xffffffff, true);
  const n = num('n', 1, 128, true);
  if (n !== undefined && n !== 1) throw badRequest(`"n" must be 1 (the nano server writes one answer per request), got ${n}`, 'unsupported_value', 'n');
  const stop = b.stop;
  if (stop !== undefined && stop !== null && !(Array.isArray(stop) && stop.length === 0)) {
    throw badRequest(
      '"stop" is not supported: the nano model stops after its answer tags (</worst_answer>, </answer>) by itself',
      'unsupported_parameter',
      'stop',
    );
  }
  if (b.stream !== undefined && typeof b.stream !== 'boolean')
    throw badRequest(`"stream" must be true or false, got ${shown(b.stream)}`, 'invalid_value', 'stream');
  const opts = b.stream_options as { include_usage?: unknown } | undefined | null;

  let last = -1;
  b.messages.forEach((m, i) => {
    if (!m || typeof m !== 'object') throw badRequest(`messages[${i}] must be an object {"role", "content"}`, 'invalid_message', `messages[${i}]`);
    const role = (m as { role?: unknown }).role;
    if (typeof role !== 'string' || !ROLES.includes(role)) {
      throw badRequest(`messages[${i}].role must be one of ${ROLES.join(', ')}, got ${shown(role)}`, 'invalid_value', `messages[${i}].role`);
    }
    if (role === 'user') last = i;
  });
  if (last < 0) throw badRequest('"messages" has no message with role "user": the model answers the last user message', 'missing_user_message', 'messages');
  const { text, images } = readContent((b.messages[last] as { content?: unknown }).content, `messages[${last}].content`, limits);

  return {
    model: b.model.trim(),
    stream: b.stream === true,
    includeUsage: !!opts && typeof opts === 'object' && opts.include_usage === true,
    temperature,
    ...(topP !== undefined ? { topP } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(seed !== undefined ? { seed } : {}),
    text,
    images,
  };
}

/**
 * A message's content: a string, or a list of text and image_url parts. Every part is checked and the
 * images counted before any image is decoded: decoding is the expensive step.
 */
function readContent(content: unknown, where: string, limits: ChatLimits): { text: string; images: Raster[] } {
  if (typeof content === 'string') return { text: content, images: [] };
  if (!Array.isArray(content))
    throw badRequest(`${where} must be a string or a list of {"type": "text"} / {"type": "image_url"} parts`, 'invalid_content', where);
  const texts: string[] = [];
  const urls: { url: string; at: string }[] = [];
  content.forEach((part: unknown, j) => {
    const at = `${where}[${j}]`;
    const p = (part ?? {}) as { type?: unknown; text?: unknown; image_url?: unknown };
    if (p.type === 'text') {
      if (typeof p.text !== 'string') throw badRequest(`${at}.text must be a string`, 'invalid_content', `${at}.text`);
      texts.push(p.text);
    } else if (p.type === 'image_url') {
      const url = typeof p.image_url === 'string' ? p.image_url : (p.image_url as { url?: unknown } | undefined)?.url;
      if (typeof url !== 'string')
        throw badRequest(`${at}.image_url.url must be a string (a data:image/png;base64,... URL)`, 'invalid_content', `${at}.image_url`);
      urls.push({ url, at: `${at}.image_url.url` });
    } else {
      throw badRequest(`${at}.type must be "text" or "image_url", got ${shown(p.type)}`, 'unsupported_content', `${at}.type`);
    }
  });
  if (urls.length > limits.maxImages) {
    throw badRequest(`${where} has ${urls.length} images; this model takes at most ${limits.maxImages} per request`, 'too_many_images', where);
  }
  return { text: texts.join('\n'), images: urls.map((u) => decodeDataUrl(u.url, u.at, limits.maxPixels ?? MAX_IMAGE_PIXELS)) };
}

function decodeDataUrl(url: string, where: string, maxPixels: number): Raster {
  const m = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(url);
  if (!m) {
    throw badRequest(
      `${where}: the server does not fetch images from URLs; send the image inline as data:image/png;base64,... (got '${clip(url, 40)}')`,
      'unsupported_image_url',
      where,
    );
  }
  if (m[1] !== 'image/png' || !m[2])
    throw badRequest(
      `${where}: only base64 PNG data URLs are decoded (data:image/png;base64,...), got data:${clip(m[1] ?? '', 40)}${m[2] ?? ''}`,
      'unsupported_image_format',
      where,
    );
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes((m[3] as string).replace(/\s+/g, ''));
  } catch {
    throw badRequest(`${where}: the data URL's base64 text is not valid base64`, 'invalid_image', where);
  }
  try {
    checkPngBudget(bytes, maxPixels); // the header and the inflated size, before the decoder allocates
    return decodePng(bytes);
  } catch (e) {
    throw badRequest(`${where}: ${(e as Error).message}`, e instanceof ImageTooLargeError ? 'image_too_large' : 'invalid_image', where);
  }
}

/** The nano model's prompt and images for a request (see the header). */
export function nanoInput(chat: Pick<ChatInput, 'text' | 'images'>, config: ModelConfig): NanoInput {
  if (isFullSnakePrompt(chat.text)) {
    let state;
    try {
      state = readFullSnakePrompt(chat.text);
    } catch (e) {
      throw badRequest(`the text opens like ViGaL's full Snake prompt but could not be read: ${(e as Error).message}`, 'invalid_prompt', 'messages');
    }
    if (state) {
      if (!config.games.includes('snake'))
        throw badRequest(`model '${config.name}' plays ${config.games.join(', ')}, not Snake`, 'unsupported_game', 'messages');
      const obs = nanoObservation({ game: 'snake', state: enemyHeadFromImage(state, chat.images[0]) }, config.imageSize);
      return { prompt: obs.prompt, images: obs.images, source: 'rebuilt' };
    }
  }
  if (chat.images.length > config.maxImages) {
    throw badRequest(`model '${config.name}' takes at most ${config.maxImages} image(s) per request, got ${chat.images.length}`, 'too_many_images', 'messages');
  }
  return { prompt: chat.text, images: chat.images.map((r) => fitImage(r, config.imageSize)), source: 'as-sent' };
}

/**
 * A one-cell enemy's head direction, which the prompt does not state, from the board image: the board
 * is drawn (ViGaL's look, the image's size) for each possible last move, and the one closest to the
 * image wins. Any other position, or an image that is not a square board, is returned unchanged.
 */
export function enemyHeadFromImage(state: SnakeState, image: Raster | undefined): SnakeState {
  const enemy = state.snakes.find((s) => s.id !== state.you);
  if (!enemy || enemy.body.length !== 1 || !image || image.width !== image.height || image.width < 32) return state;
  const candidates: (Move | null)[] = [null, ...MOVES];
  let best = state;
  let bestDiff = Infinity;
  for (const lastMove of candidates) {
    const s: SnakeState = { ...state, snakes: state.snakes.map((x) => (x === enemy ? { ...x, lastMove } : x)) };
    const drawn = rasterize(snakeScene(s, { size: image.width, axes: true }));
    let diff = 0;
    for (let i = 0; i < drawn.data.length; i += 4) {
      diff += Math.abs(drawn.data[i]! - image.data[i]!) + Math.abs(drawn.data[i + 1]! - image.data[i + 1]!) + Math.abs(drawn.data[i + 2]! - image.data[i + 2]!);
    }
    if (diff < bestDiff) {
      bestDiff = diff;
      best = s;
    }
  }
  return best;
}

/**
 * An image the patchifier accepts: square and a whole multiple of `size` as it is (patchify box-filters
 * those itself), anything else averaged down (or sampled up) to size x size.
 */
export function fitImage(r: Raster, size: number): Raster {
  if (r.width === r.height && r.width % size === 0) return r;
  const out = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    // Source rows [y0, y1) under output row y; at least one (upscaling repeats rows).
    const y0 = Math.floor((y * r.height) / size);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * r.height) / size));
    for (let x = 0; x < size; x++) {
      const x0 = Math.floor((x * r.width) / size);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * r.width) / size));
      const sum = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * r.width + sx) * 4;
          for (let c = 0; c < 4; c++) sum[c]! += r.data[i + c]!;
        }
      }
      const k = (y1 - y0) * (x1 - x0);
      const o = (y * size + x) * 4;
      for (let c = 0; c < 4; c++) out[o + c] = Math.round(sum[c]! / k);
    }
  }
  return { width: size, height: size, data: out };
}
