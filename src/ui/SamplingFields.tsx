/** The sampling fields every bring-your-own-model form has: temperature and the answer's token budget. */
export function SamplingFields({
  temperature,
  maxTokens,
  onTemperature,
  onMaxTokens,
}: {
  temperature: number;
  maxTokens: number;
  onTemperature: (t: number) => void;
  onMaxTokens: (n: number) => void;
}) {
  return (
    <>
      <label>
        Temperature
        <input type="number" min={0} max={2} step={0.1} value={temperature} onChange={(e) => e.target.value !== '' && onTemperature(Number(e.target.value))} />
      </label>
      <label>
        Max tokens
        <input
          type="number"
          min={1}
          max={32768}
          step={1}
          value={maxTokens}
          onChange={(e) => e.target.value !== '' && onMaxTokens(Math.max(1, Math.round(Number(e.target.value))))}
        />
      </label>
    </>
  );
}
