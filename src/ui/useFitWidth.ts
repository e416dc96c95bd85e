/**
 * A drawing's width that fits the window: `max` on a wide screen, the window's width less `margin` on
 * a phone (the boards are vector scenes, drawn afresh at that size rather than scaled as a bitmap).
 */
import { useEffect, useState } from 'react';

export function fitWidth(max: number, viewport: number, margin = 24): number {
  return Math.max(160, Math.min(max, Math.floor(viewport - margin)));
}

export function useFitWidth(max: number, margin = 24): number {
  const [width, setWidth] = useState(() => fitWidth(max, typeof window === 'undefined' ? max + margin : window.innerWidth, margin));
  useEffect(() => {
    const onResize = () => setWidth(fitWidth(max, window.innerWidth, margin));
    onResize();
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [max, margin]);
  return width;
}
