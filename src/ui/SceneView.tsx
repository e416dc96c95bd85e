/** Draws a game's Scene with Konva: the human's view of exactly what the raster gives the model. */
import { Layer, Line, Rect, Circle, Stage } from 'react-konva';
import { useMemo } from 'react';
import type { Scene } from '../render/scene';
import { konvaShapes } from '../render/konva';

interface Props {
  scene: Scene;
  label: string;
  testId?: string;
}

export function SceneView({ scene, label, testId }: Props) {
  return (
    <div className="scene" role="img" aria-label={label} data-testid={testId} style={{ width: scene.width, height: scene.height }}>
      <Stage width={scene.width} height={scene.height} listening={false}>
        <SceneLayer scene={scene} />
      </Stage>
    </div>
  );
}

/** A Scene as one Konva layer, for a Stage that draws more on top (the Jigsaw board's marks). */
export function SceneLayer({ scene }: { scene: Scene }) {
  const shapes = useMemo(() => konvaShapes(scene), [scene]);
  return (
    <Layer listening={false}>
      {shapes.map((shape, i) => {
        switch (shape.type) {
          case 'Rect':
            return <Rect key={i} {...shape.config} perfectDrawEnabled={false} />;
          case 'Line':
            return <Line key={i} {...shape.config} perfectDrawEnabled={false} />;
          case 'Circle':
            return <Circle key={i} {...shape.config} perfectDrawEnabled={false} />;
        }
      })}
    </Layer>
  );
}
