export {
  parseDomain,
  parseDevice,
  parseLibvirtXml,
  serialize,
  canonicalize,
  isSemanticallyEqual,
  inLibvirtOrder,
  type LibvirtDocument,
  type CanonicalizeOptions,
} from './document.ts'
export { controllerModels, deviceNames, driveUnitsPerController, scsiControllerUnits, bandwidthRateLimits11, addressFirstWord, addressUnionWords, chrTargetTypeNumber, chrSourceLabels, chrSourceCompared, channelTargetAttributes, guestfwdPortStored, encryptionFormats9, storageTypes9, watchdogModels9, serialTargetModelTypes, serialTargetDefaultModels, systemSerialDefaultModels, serialTargetAddressTypes, serialTargetHomes, serialTargetFits, type SerialTargetHome, spaprVioAssignedKinds, spaprVioOverlays, ccwAddressLimits, spaprVioRegisterFrom, iothreadPostParseModels, tpmPassthroughDefaultPath, deviceKinds, isDeviceKind, deviceOrder, domainChildOrder, osChildOrder, sortChildren, netModelNames, storedNetModel, virtualPortParameters, type DeviceKind } from './libvirt/devices.ts'
export {
  diskPrefixes,
  maxDiskNameLetters,
  maxDiskIndex,
  diskNameFromIndex,
  parseDiskName,
  diskNameToIndex,
  diskNameParses,
  busFromTarget,
  prefixForBus,
  hotpluggableDiskBuses,
  diskQueryProtocols,
  networkDiskDefaultPorts,
  diskSourceChildrenUnwritten,
  iscsiNameWithLun,
  diskIotuneLimits,
  diskInquiryLimit,
  diskInquiryBuses,
  createTargetNamer,
  type DiskPrefix,
  type DiskName,
  type DiskBus,
} from './libvirt/disks.ts'
export { machineFamilies, machineFamily, i8042MachineFamilies, s390HostPassthroughOnlyMachines, isQ35, hasBuiltinIde, hasBuiltinEsp, machineOf, pciRootOf, hasPCIeRoot, machineForFamily, defaultFamilyOf, type MachineFamily } from './libvirt/machines.ts'
export { qemuDeviceFlags, retiredQemuFlags, virtTypeFlags, videoDefaultRam, roundUpPowerOfTwo, type QemuFlagCheck, type VirtioInputCaps } from './libvirt/qemu-devices.ts'
export { pciConnectTable, pciFieldsOf, pciConnectRuleOf, pciSlotNeeded, hasFreeHotplugSlot, hostPciConfigIsExpress, type PciConnect, type PciConnectRule, type PciSlotOptions } from './libvirt/pci.ts'
export { childElement, childElements, devicesOf, textOf } from './libvirt/tree.ts'
export { libvirtIgnoredDoctype, libvirtXmlSyntaxError, type LibvirtXmlSyntaxError } from './libvirt/xml-errors.ts'
export { attributesByType, childrenByType, osKernelOptions, localNameChildren, filesystemSourceAttributes, schemaPlace, schemaRoot, type AttributesByType, type SchemaPlace } from './libvirt/schema-places.ts'
export { canonicalIpAddress, numericIpAddress, ipv4Value, ipv6Words } from './libvirt/ip-addresses.ts'
export { formatterChildOrders, deviceInfoChildOrder, afterDeviceInfo } from './libvirt/child-orders.ts'
export { attributeOrder, attributeOrdersBelow, inAttributeOrder, type AttributeOrder } from './libvirt/attribute-order.ts'
export { sanitizePath, loadparmAsRead } from './libvirt/paths.ts'
export { acpiTableTypes, archNames, archNames9, attributeReads, attributesReadByLocalName, attributesReadByLocalName9, attributesReadByLocalNameWhen, attributeReadProblem, conditionValue, hostdevNicSourceType, type ConditionHolder, attributeReadValue, attributesWrittenUnescaped, attributesWrittenUnescaped9, textClosedAfterIndent, enumNames, bootDevices, clockOffsets, emptyUnwritten, checkedUnwritten, writtenWhenAllPositive, cpuModes, numaCacheAssociativities, numaCachePolicies, numaCacheLineModulus, domainTypes, formatMacAddress, lifecycleActions, lockFailureActions, memoryBackingModes, osTypes, smbiosModes, processCapabilities, domainFeatures9, domainFeatures11, hypervEnlightenments9, hypervEnlightenments11, kvmFeatures, featuresSetBy, xenFeatures, readCLongLong, readCUnsigned, readCUnsignedLongLong, readMacAddress, readUuid, isChannelName, type AttributeRead, type AttributeReadKind, type AttributeReadOptions } from './libvirt/attribute-reads.ts'
export { usbPortDepth, usbHubPorts, readUsbPort, formatUsbPort } from './libvirt/usb.ts'
export { nwfilterParameterKept } from './libvirt/nwfilter.ts'
export { integerAttributes, readCInt, readCInteger, readLibvirtInteger, readUsbDeviceVersion, maxPciControllerIndex, pciAddressProblem, type IntegerAttribute, type IntegerRead } from './libvirt/integers.ts'
export { DomainModelError, modelErrorCatalog, type ModelErrorCode } from './errors.ts'
export { parseSize, formatSize, formatLibvirtPretty, parseHumanSize, readScaledBytes, readLibvirtMemory, readLibvirtScaled, type SizeOptions, type FormattedSize } from './units.ts'
export { viewDomain, viewDevice } from './views.ts'
export {
  domainViewSchema,
  deviceViewSchema,
  deviceViewSchemas,
  sizeViewSchema,
  type DomainView,
  type DeviceView,
  type DeviceViewKind,
  type DeviceViewOf,
  type SizeView,
  type VcpuView,
  type OsView,
  type FeaturesView,
  type CpuView,
  type ClockView,
} from './views-schema.ts'
export {
  setName,
  setTitle,
  setDescription,
  setMemory,
  setCurrentMemory,
  setVcpus,
  addDevice,
  removeDevice,
  replaceDevice,
  type DeviceMatch,
  type SetMemoryOptions,
} from './edit.ts'
export {
  domainSpecSchema,
  domainSpecJsonSchema,
  specFeatures,
  parseSpec,
  validateSpec,
  type DomainSpec,
  type DomainSpecInput,
  type SpecProblem,
  type SpecOptions,
} from './spec.ts'
export { deviceLimits, checkDeviceLimits, specDeviceLimitProblem, type DeviceLimits } from './limits.ts'
export { fromSpec, toSpec, libosinfoNamespace, type SpecReading } from './spec-xml.ts'
export { namespaceOf, localName, metadataElement, metadataName, recordedOsId } from './libvirt/namespaces.ts'
export { el } from './_xml.ts'
export { identityRuleSchema, deviceIdentityRules, domainIdentityRules, libvirtIdentityKeys, toIdentityKeys, identityRuleOf, isUserAlias, type DeviceIdentityRule } from './libvirt/identity.ts'
export { securityLabelLimits, withinSecurityLabelLimit } from './libvirt/seclabels.ts'
export { selectAll, selectsAny, rewriteAll, selectIdentities } from './select.ts'
export { deviceInfoParts, deviceIterateOrder, deviceParseOrder, deviceReadParts, deviceReadParts9, deviceReadPartsByType, deviceRepeatedReadInPart, deviceRepeatedReadParts, domainReadOrder, domainValidationSteps, genericValidationSteps, postParseSteps, readAsOneWhenRepeated, readFirstWhenRepeated, readLastWhenRepeated, readThroughWhenRepeated, refusedWhenRepeated, repeatedFeatureReads, repeatedFeatureReads11, settingReadParts, settingReadParts9, settingRepeatedReadParts, settingsReadAmongDevices, type DomainValidationStep, type GenericValidationStep, type PostParseStep, attributesReadThroughWhenRepeated, readAsOneWhenRepeated9, hostdevSourceReadThrough, hostdevNicSourceTypeRead } from './libvirt/parse-order.ts'
