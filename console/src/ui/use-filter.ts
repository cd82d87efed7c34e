/**
 * A page's filters kept in the address's query string, so that a filtered list can be linked to and survives a
 * reload; changing one replaces the history entry instead of adding one per keystroke.
 */
import { useSearchParams } from 'wouter';

/** The current query string, and a setter for one filter (an empty value removes it). */
export function useFilter(): [URLSearchParams, (name: string, value: string) => void] {
  const [params, setParams] = useSearchParams();
  const set = (name: string, value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value === '') next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
  return [params, set];
}

/** The value of `raw` if it is one of `options`. */
export function oneOf<T extends string>(options: readonly T[], raw: string | null): T | undefined {
  return options.find((option) => option === raw);
}
