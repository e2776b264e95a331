import CLithos
import Lithos

@_cdecl("lithos_version")
public func lithos_version() -> UnsafePointer<CChar> {
    cString(LithosVersion.string)
}

@_cdecl("lithos_version_number")
public func lithos_version_number() -> UInt32 {
    UInt32(LithosVersion.number)
}

@_cdecl("lithos_status_string")
public func lithos_status_string(_ status: lithos_status) -> UnsafePointer<CChar> {
    switch status {
    case LITHOS_OK: return cString("LITHOS_OK: success")
    case LITHOS_ERROR_NULL_ARGUMENT: return cString("LITHOS_ERROR_NULL_ARGUMENT: a required pointer argument was NULL")
    case LITHOS_ERROR_INVALID_ARGUMENT: return cString("LITHOS_ERROR_INVALID_ARGUMENT: NaN, infinity or a value of the wrong kind")
    case LITHOS_ERROR_OUT_OF_RANGE: return cString("LITHOS_ERROR_OUT_OF_RANGE: a value outside its valid range")
    case LITHOS_ERROR_PARSE: return cString("LITHOS_ERROR_PARSE: malformed JSON")
    case LITHOS_ERROR_CONFIG: return cString("LITHOS_ERROR_CONFIG: the configuration does not describe a valid object")
    case LITHOS_ERROR_NOT_FOUND: return cString("LITHOS_ERROR_NOT_FOUND: unknown name, key or index")
    case LITHOS_ERROR_BUFFER_TOO_SMALL: return cString("LITHOS_ERROR_BUFFER_TOO_SMALL: the output buffer is too small")
    case LITHOS_ERROR_STRUCT_SIZE: return cString("LITHOS_ERROR_STRUCT_SIZE: struct_size too small; set it to sizeof(struct)")
    case LITHOS_ERROR_NOT_SUPPORTED: return cString("LITHOS_ERROR_NOT_SUPPORTED: the operation does not apply to this object")
    case LITHOS_ERROR_OUT_OF_MEMORY: return cString("LITHOS_ERROR_OUT_OF_MEMORY: allocation failed")
    case LITHOS_ERROR_INTERNAL: return cString("LITHOS_ERROR_INTERNAL: internal error in Lithos (please report it)")
    case LITHOS_LIMIT_REACHED: return cString("LITHOS_LIMIT_REACHED: the step was taken but the cell crossed a limit (not an error)")
    default: return cString("unknown lithos_status")
    }
}
