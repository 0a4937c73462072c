/** Inputs the outlook tests share (test helper; not used by the server). */
import type { CreateSetInput } from './outlook.schema.ts';

export const WAR_SET: CreateSetInput = {
  title: 'How the war in Ukraine ends',
  question: 'Which outcome by the horizon?',
  horizon: '2027-12-31',
  scenarios: [
    { key: 'aggressor-momentum', title: 'Aggressor keeps its momentum', prior: 0.3 },
    { key: 'defender-wins', title: 'Defender wins quickly', prior: 0.2 },
    { key: 'settlement', title: 'Negotiated settlement', prior: 0.3 },
    { key: 'frozen', title: 'Frozen conflict', prior: 0.2 },
  ],
  tlp: 'amber',
};

export const MOBILISATION = {
  key: 'mobilisation',
  title: 'New mobilisation wave announced',
  likelihoods: { 'aggressor-momentum': 0.8, 'defender-wins': 0.2, settlement: 0.3, frozen: 0.4 },
};

/** Impacts for two members: PL feels the aggressor's momentum most. */
export const IMPACTS = {
  PL: { 'aggressor-momentum': 5, 'defender-wins': 1, settlement: 2, frozen: 3 },
  LT: { 'aggressor-momentum': 5, 'defender-wins': 2, settlement: 3, frozen: 3 },
};
