/**
 * Rough inhabitants (thousands) of the campaign cities, only so demo respondents spread like real
 * ones: big towns answer more often. Not for weighting real results — those margins are
 * configurable data of their own. Unknown city codes get the average weight.
 */
export const DEMO_CITY_WEIGHTS: Readonly<Record<string, number>> = {
  // Kreis Recklinghausen
  recklinghausen: 111,
  marl: 84,
  gladbeck: 76,
  dorsten: 75,
  'castrop-rauxel': 73,
  herten: 62,
  'haltern-am-see': 38,
  datteln: 35,
  'oer-erkenschwick': 32,
  waltrop: 30,
  // Kreis Unna
  luenen: 86,
  unna: 59,
  bergkamen: 49,
  schwerte: 46,
  kamen: 43,
  werne: 30,
  selm: 27,
  'froendenberg-ruhr': 21,
  boenen: 18,
  holzwickede: 17,
  // Emscher-Lippe model communes: the Kreis's other nine towns together, and Gelsenkirchen.
  'kreis-recklinghausen': 540,
  gelsenkirchen: 263,
  // Bottrop's areas (Stadt Bottrop, 2022).
  'alt-bottrop': 96,
  kirchhellen: 21,
};

/** Share of respondents who live outside the campaign's cities (the "elsewhere" option). */
export const ELSEWHERE_SHARE = 0.04;
