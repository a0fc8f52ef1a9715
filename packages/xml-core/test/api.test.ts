import { expect, it } from 'vitest'

// The public surface is API forever: this list changes only on purpose.
it('exports exactly its public API', async () => {
  expect(Object.keys(await import('../src/index.ts')).sort()).toMatchInlineSnapshot(`
    [
      "VirtunedError",
      "XmlChangeError",
      "XmlEngineError",
      "XmlSyntaxError",
      "applyPatchToTree",
      "attributeFiller",
      "changeErrorCatalog",
      "childSegments",
      "compareCodePoints",
      "createEngine",
      "createReferenceEngine",
      "decodeUtf8",
      "defaultParseLimits",
      "diffTrees",
      "escapeXml",
      "exactPaths",
      "fillAttribute",
      "getEngine",
      "isXmlName",
      "layerNamespace",
      "mergeTrees",
      "normalizeKeyValue",
      "parseXml",
      "rootElement",
      "selectPath",
      "setEngine",
      "splitPath",
      "toCanonical",
      "toXml",
      "valuePaths",
      "withChildren",
      "xmlErrorCatalog",
    ]
  `)
})
