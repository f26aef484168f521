//! Canary vs stable configuration: loaders with positions, key normalisation, rule packs.
