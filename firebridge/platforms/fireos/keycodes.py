"""Android key codes (AOSP ``android.view.KeyEvent``), shared by the remote and the virtual device.

Only names are listed here; what the Fire TV remote actually has is firebridge's key vocabulary
(:mod:`firebridge.driver.keys`), mapped to codes by :data:`KEY_CODES`.
"""

from __future__ import annotations

from firebridge.driver.keys import Key, parse_key

_NAMES = """
UNKNOWN SOFT_LEFT SOFT_RIGHT HOME BACK CALL ENDCALL 0 1 2 3 4 5 6 7 8 9 STAR POUND DPAD_UP DPAD_DOWN
DPAD_LEFT DPAD_RIGHT DPAD_CENTER VOLUME_UP VOLUME_DOWN POWER CAMERA CLEAR A B C D E F G H I J K L M N
O P Q R S T U V W X Y Z COMMA PERIOD ALT_LEFT ALT_RIGHT SHIFT_LEFT SHIFT_RIGHT TAB SPACE SYM EXPLORER
ENVELOPE ENTER DEL GRAVE MINUS EQUALS LEFT_BRACKET RIGHT_BRACKET BACKSLASH SEMICOLON APOSTROPHE SLASH
AT NUM HEADSETHOOK FOCUS PLUS MENU NOTIFICATION SEARCH MEDIA_PLAY_PAUSE MEDIA_STOP MEDIA_NEXT
MEDIA_PREVIOUS MEDIA_REWIND MEDIA_FAST_FORWARD MUTE PAGE_UP PAGE_DOWN PICTSYMBOLS SWITCH_CHARSET
BUTTON_A BUTTON_B BUTTON_C BUTTON_X BUTTON_Y BUTTON_Z BUTTON_L1 BUTTON_R1 BUTTON_L2 BUTTON_R2
BUTTON_THUMBL BUTTON_THUMBR BUTTON_START BUTTON_SELECT BUTTON_MODE ESCAPE FORWARD_DEL CTRL_LEFT
CTRL_RIGHT CAPS_LOCK SCROLL_LOCK META_LEFT META_RIGHT FUNCTION SYSRQ BREAK MOVE_HOME MOVE_END INSERT
FORWARD MEDIA_PLAY MEDIA_PAUSE MEDIA_CLOSE MEDIA_EJECT MEDIA_RECORD F1 F2 F3 F4 F5 F6 F7 F8 F9 F10
F11 F12 NUM_LOCK NUMPAD_0 NUMPAD_1 NUMPAD_2 NUMPAD_3 NUMPAD_4 NUMPAD_5 NUMPAD_6 NUMPAD_7 NUMPAD_8
NUMPAD_9 NUMPAD_DIVIDE NUMPAD_MULTIPLY NUMPAD_SUBTRACT NUMPAD_ADD NUMPAD_DOT NUMPAD_COMMA NUMPAD_ENTER
NUMPAD_EQUALS NUMPAD_LEFT_PAREN NUMPAD_RIGHT_PAREN VOLUME_MUTE INFO CHANNEL_UP CHANNEL_DOWN ZOOM_IN
ZOOM_OUT TV WINDOW GUIDE DVR BOOKMARK CAPTIONS SETTINGS TV_POWER TV_INPUT STB_POWER STB_INPUT
AVR_POWER AVR_INPUT PROG_RED PROG_GREEN PROG_YELLOW PROG_BLUE APP_SWITCH
"""

# KeyEvent numbers the constants in order from 0 (UNKNOWN) to 187 (APP_SWITCH); a few later ones:
_LATER = {
    "LANGUAGE_SWITCH": 204, "MANNER_MODE": 205, "3D_MODE": 206, "CONTACTS": 207, "CALENDAR": 208,
    "MUSIC": 209, "CALCULATOR": 210, "ASSIST": 219, "BRIGHTNESS_DOWN": 220, "BRIGHTNESS_UP": 221,
    "MEDIA_AUDIO_TRACK": 222, "SLEEP": 223, "WAKEUP": 224, "PAIRING": 225, "MEDIA_TOP_MENU": 226,
    "11": 227, "12": 228, "LAST_CHANNEL": 229, "TV_DATA_SERVICE": 230, "VOICE_ASSIST": 231,
    "TV_RADIO_SERVICE": 232, "TV_TELETEXT": 233, "TV_NUMBER_ENTRY": 234, "TV_SATELLITE": 239,
    "TV_INPUT_HDMI_1": 243, "TV_INPUT_HDMI_2": 244, "TV_INPUT_HDMI_3": 245, "TV_INPUT_HDMI_4": 246,
    "TV_AUDIO_DESCRIPTION": 252, "HELP": 259, "NAVIGATE_PREVIOUS": 260, "NAVIGATE_NEXT": 261,
    "NAVIGATE_IN": 262, "NAVIGATE_OUT": 263, "MEDIA_SKIP_FORWARD": 272, "MEDIA_SKIP_BACKWARD": 273,
    "MEDIA_STEP_FORWARD": 274, "MEDIA_STEP_BACKWARD": 275, "SOFT_SLEEP": 276, "CUT": 277, "COPY": 278,
    "PASTE": 279, "ALL_APPS": 284, "REFRESH": 285,
}

CODE_BY_NAME: dict[str, int] = {name: code for code, name in enumerate(_NAMES.split())}
CODE_BY_NAME.update(_LATER)
NAME_BY_CODE: dict[int, str] = {code: name for name, code in CODE_BY_NAME.items()}
assert CODE_BY_NAME["APP_SWITCH"] == 187 and CODE_BY_NAME["MEDIA_FAST_FORWARD"] == 90


def keycode_from_string(text: str) -> int:
    """What ``KeyEvent.keyCodeFromString`` answers, as ``input keyevent`` uses it on Fire OS <= 8.

    ``KEYCODE_HOME`` and a decimal number resolve; anything else is KEYCODE_UNKNOWN (0) — a real
    device then injects key 0 without complaint, so callers that care must validate names first.
    """
    if text.startswith("KEYCODE_") and text[8:] in CODE_BY_NAME:
        return CODE_BY_NAME[text[8:]]
    try:
        return int(text, 10)
    except ValueError:
        return 0


def keycode_label(code: int) -> str:
    """``KEYCODE_HOME`` for 3; the bare number for codes without a name (as KeyEvent prints them)."""
    name = NAME_BY_CODE.get(code)
    return f"KEYCODE_{name}" if name else str(code)


# firebridge's key names as Android key codes (AOSP KeyEvent; the remote's media keys are the MEDIA_ ones).
_ANDROID_NAME = {
    Key.HOME: "HOME", Key.BACK: "BACK", Key.UP: "DPAD_UP", Key.DOWN: "DPAD_DOWN", Key.LEFT: "DPAD_LEFT",
    Key.RIGHT: "DPAD_RIGHT", Key.SELECT: "DPAD_CENTER", Key.MENU: "MENU", Key.PLAY_PAUSE: "MEDIA_PLAY_PAUSE",
    Key.REWIND: "MEDIA_REWIND", Key.FAST_FORWARD: "MEDIA_FAST_FORWARD", Key.PLAY: "MEDIA_PLAY",
    Key.PAUSE: "MEDIA_PAUSE", Key.STOP: "MEDIA_STOP", Key.NEXT: "MEDIA_NEXT", Key.PREVIOUS: "MEDIA_PREVIOUS",
    Key.VOLUME_UP: "VOLUME_UP", Key.VOLUME_DOWN: "VOLUME_DOWN", Key.MUTE: "VOLUME_MUTE", Key.POWER: "POWER",
    Key.SLEEP: "SLEEP", Key.WAKEUP: "WAKEUP", Key.SEARCH: "SEARCH", Key.VOICE_ASSIST: "VOICE_ASSIST",
    Key.SETTINGS: "SETTINGS", Key.ENTER: "ENTER",
}
KEY_CODES: dict[Key, int] = {key: CODE_BY_NAME[name] for key, name in _ANDROID_NAME.items()}
assert set(KEY_CODES) == set(Key), "every firebridge key needs an Android code"


def android_code(key: "Key | str") -> int:
    """The Android key code of a firebridge key name (validated: unknown names raise UnknownKey)."""
    return KEY_CODES[parse_key(key)]


def android_name(key: "Key | str") -> str:
    """``KEYCODE_MEDIA_PLAY_PAUSE`` for PLAY_PAUSE."""
    return keycode_label(android_code(key))
