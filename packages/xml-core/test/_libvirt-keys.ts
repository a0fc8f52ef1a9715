// libvirt's identity table for the engine tests: the one @virtuned/model owns (xml-core is a generic
// engine and does not depend on model; its tests may, to run the engines with the real table).
export { libvirtIdentityKeys } from '../../model/src/libvirt/identity.ts'
