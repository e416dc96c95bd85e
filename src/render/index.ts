/** The rendering kernel: scene types, the bitmap font, the raster and PNG codecs, and the Konva mapping. */
export type { Color, RectItem, LineItem, PolygonItem, CircleItem, TextItem, SceneItem, Scene } from './scene';
export { FONT, glyphRects, hasGlyph, measureText, type PixelRect } from './font';
export { rasterize, parseColor, rasterToRgb, rasterHash, fnv1a64Hex, cropRaster, resizeNearest, type Raster, type RasterOptions, type Rgb } from './raster';
export { encodePng, decodePng } from './png';
export { konvaShapes, type KonvaShape, type KonvaRectConfig, type KonvaLineConfig, type KonvaCircleConfig } from './konva';
