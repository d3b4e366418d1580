"""Build small 835 interchanges for the ERA tests from segment strings ("*" elements,
":" components), with a correct envelope (ISA widths, SE count)."""

from __future__ import annotations

ISA = ("ISA*00*          *00*          *ZZ*PAYER01        *ZZ*PROVIDER01     *260118*0800*^"
       "*00501*000000001*0*T*:~")


def build_835(*sets: list[str]) -> bytes:
    """One interchange, one HP group, an 835 set per list of body segments."""
    out = [ISA, "GS*HP*PAYER01*PROVIDER01*20260118*0800*1*X*005010X221A1~"]
    for i, body in enumerate(sets, start=1):
        control = f"{i:04d}"
        out.append(f"ST*835*{control}~")
        out += [s + "~" for s in body]
        out.append(f"SE*{len(body) + 2}*{control}~")
    out += [f"GE*{len(sets)}*1~", "IEA*1*000000001~"]
    return "\n".join(out).encode("latin-1")


def header(amount: str, *, method: str = "ACH", handling: str = "I",
           trace: str = "EFT778899") -> list[str]:
    return [
        f"BPR*{handling}*{amount}*C*{method}*CCP*01*999999999*DA*123456789*1512345678**01"
        "*888888888*DA*987654321*20260120",
        f"TRN*1*{trace}*1512345678",
        "DTM*405*20260118",
        "N1*PR*FICTIONAL HEALTH PLAN*XV*FHP01",
        "N3*1 EXAMPLE PLAZA",
        "N4*ANYTOWN*CA*90001",
        "PER*BL*EDI SUPPORT*TE*8005550199",
        "N1*PE*EXAMPLE MEDICAL GROUP*XX*1234567893",
        "REF*TJ*123456789",
        "LX*1",
    ]
