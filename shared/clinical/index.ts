/** Pure clinical maths shared by the main process and the renderer (no Node, no DOM). */
export * from './levels'
export * from './scores'
export * from './genant'
export * from './dates'
export * from './height'
export * from './cpt'
export * from './contraindications'
export * from './coverage'
