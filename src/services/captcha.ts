import svgCaptcha from 'svg-captcha';
import type { Config } from '../config';

const options = { size: 4, noise: 2, color: true, ignoreChars: '0oO1ilI', width: 120, height: 40 };
// The module itself renders given text (its typings omit that call signature).
const renderText = svgCaptcha as unknown as (text: string, opts: typeof options) => string;

export function captchaService(config: Config) {
  return {
    /** A new challenge: the SVG to show and the answer to keep in the session. */
    create(): { svg: string; answer: string } {
      // CAPTCHA_FIXED (tests and demos only; refused in production by config.ts) fixes the text.
      if (config.captchaFixed)
        return { svg: renderText(config.captchaFixed, options), answer: config.captchaFixed };
      const c = svgCaptcha.create(options);
      return { svg: c.data, answer: c.text };
    },
  };
}
