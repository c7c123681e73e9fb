/**
 * compromise 14.17's `toSingular` inverts its whole table of irregular plurals (`invertObj`, "not very
 * efficient", its source says) at every call, and the root pass calls it for every plural noun: some 4%
 * of a long body's tagging. This plugin inverts each table once and asks compromise's own function,
 * with no irregulars, for the rest (its suffix rules), so every answer is the one compromise gives. A
 * table is recognised by identity: nothing here adds irregular plurals after loading.
 */
type Model = { two: { irregularPlurals: Record<string, string> } };
type ToSingular = (str: string, model: Model) => string;
type World = { methods: { two: { transform: { noun: { toSingular: ToSingular } } } } };

const inverted = new WeakMap<Record<string, string>, Map<string, string>>();
const NO_IRREGULARS: Model = { two: { irregularPlurals: {} } };

function inverse(irregulars: Record<string, string>): Map<string, string> {
  let invert = inverted.get(irregulars);
  if (!invert) {
    // Later entries win, as in compromise's inversion.
    invert = new Map(Object.keys(irregulars).map((single) => [irregulars[single], single]));
    inverted.set(irregulars, invert);
  }
  return invert;
}

export const singularOnce = {
  mutate(world: World) {
    const noun = world.methods.two.transform.noun;
    const bySuffix = noun.toSingular;
    noun.toSingular = (str, model) => inverse(model.two.irregularPlurals).get(str) ?? bySuffix(str, NO_IRREGULARS);
  },
};
