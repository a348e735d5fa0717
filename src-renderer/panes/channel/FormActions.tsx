/** The closing row of the channel pane's inline forms: the submit button named for what it does, and Cancel. */
export function FormActions({ submitLabel, onCancel }: { submitLabel: string; onCancel: () => void }) {
  return (
    <p className="row">
      <button type="submit">{submitLabel}</button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </p>
  );
}
