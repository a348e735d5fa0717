/**
 * Checkboxes and radios whose state is the engine's: the page shows the new value only when the engine
 * has answered. Playwright's check()/uncheck() demand the change at once ("Clicking the checkbox did not
 * change its state") and fail when the answer takes longer on a busy machine; these click, then wait
 * for the answer to show.
 */
import { expect, type Locator } from '@playwright/test';

export async function setEngineChecked(control: Locator, checked: boolean, timeout = 10_000): Promise<void> {
  if ((await control.isChecked()) !== checked) await control.click();
  await expect(control).toBeChecked({ checked, timeout });
}

export const checkEngine = (control: Locator) => setEngineChecked(control, true);
export const uncheckEngine = (control: Locator) => setEngineChecked(control, false);
