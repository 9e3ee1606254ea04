import Foundation

/// Pillow's 8-bit HSV (Convert.c's rgb2hsv / hsv2rgb), including its mix of single and double precision,
/// so round trips give Pillow's bytes.
struct PillowHSV {
    var hue: UInt8
    var saturation: UInt8
    var value: UInt8

    init(hue: UInt8, saturation: UInt8, value: UInt8) {
        self.hue = hue
        self.saturation = saturation
        self.value = value
    }

    /// Pillow's rgb2hsv (after colorsys): hue and saturation scaled to 0…255 and truncated.
    init(red r: UInt8, green g: UInt8, blue b: UInt8) {
        let maxc = max(r, g, b), minc = min(r, g, b)
        value = maxc
        guard maxc != minc else {
            hue = 0
            saturation = 0
            return
        }
        let range = Float(maxc - minc)
        let s = range / Float(maxc)
        let rc = Float(maxc - r) / range, gc = Float(maxc - g) / range, bc = Float(maxc - b) / range
        var h: Float
        if r == maxc {
            h = bc - gc
        } else if g == maxc {
            h = Float(2.0 + Double(rc) - Double(bc))
        } else {
            h = Float(4.0 + Double(gc) - Double(rc))
        }
        h = Float(fmod(Double(h) / 6.0 + 1.0, 1.0))
        hue = UInt8(clamping: Int(Double(h) * 255.0))
        saturation = UInt8(clamping: Int(Double(s) * 255.0))
    }

    /// Pillow's hsv2rgb.
    var rgb: (red: UInt8, green: UInt8, blue: UInt8) {
        let v = value
        guard saturation != 0 else { return (v, v, v) }
        let sector = Int(floor(Double(hue) * 6.0 / 255.0))
        let f = Float(Double(hue) * 6.0 / 255.0 - Double(sector))
        let fs = Float(Double(saturation) / 255.0)
        let p = UInt8(clamping: Int((Double(v) * (1.0 - Double(fs))).rounded()))
        let q = UInt8(clamping: Int((Double(v) * (1.0 - Double(fs * f))).rounded()))
        let t = UInt8(clamping: Int((Double(v) * (1.0 - Double(fs) * (1.0 - Double(f)))).rounded()))
        switch sector % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }
}
