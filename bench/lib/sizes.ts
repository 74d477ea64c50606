/** The data sets the benchmarks run on. `city` is one municipality; `large` is ten times every count. */
export type SizeName = "tiny" | "city" | "large";

export interface Size {
  name: SizeName;
  /** Neighbourhoods in use (city: 10 of Dordrecht's 12; large: a region of 100). */
  neighbourhoods: number;
  /** Residents with an account (RESIDENT). */
  residents: number;
  /** Volunteers with an account (RESIDENT + VOLUNTEER), each with a profile. */
  volunteers: number;
  /** Help requests over the two years before the anchor date. */
  requests: number;
}

export const SIZES: Record<SizeName, Size> = {
  tiny: { name: "tiny", neighbourhoods: 10, residents: 2_000, volunteers: 200, requests: 10_000 },
  city: { name: "city", neighbourhoods: 10, residents: 50_000, volunteers: 5_000, requests: 200_000 },
  large: { name: "large", neighbourhoods: 100, residents: 500_000, volunteers: 50_000, requests: 2_000_000 },
};

export function sizeNamed(name: string): Size {
  const size = SIZES[name as SizeName];
  if (!size) throw new Error(`unknown size "${name}": use tiny, city or large`);
  return size;
}
