"""Japanese strings of the safety features (編集ロック・自動保存と復元・予期しないエラー), in one place.

Kept apart from ``strings.py`` only while another engineer owns that file; they can be merged into it verbatim.
"""

# --- one editor at a time (file_lock.py) ------------------------------------------------------
LOCK_HOLDER = "{user}さん(PC名: {host})"
LOCK_HOLDER_NO_USER = "PC「{host}」の利用者"
LOCK_HOLDER_SELF = "このPCの別のウィンドウ(あなた)"
LOCK_HOLDER_UNKNOWN = "ほかの誰か(編集中の目印から名前を読めません)"
LOCK_HELD_TITLE = "ほかの人が編集中です"
LOCK_HELD_TEXT = "このファイルは {holder} が編集中です。読み取り専用で開きますか?"
LOCK_HELD_INFO = "読み取り専用で開いた計画は上書き保存できません。変更は「名前を付けて保存」で別のファイルに保存できます。"
LOCK_SILENT_INFO = (
    "ただし、{hours}時間以上この編集の応答がありません(パソコンの電源断やネットワークの切断で、"
    "編集中の目印だけが残っている可能性があります)。{holder} が編集していないことを確認できた場合に限り、"
    "「編集中の目印を解除して開く」を選んでください。"
)
BTN_READ_ONLY = "読み取り専用で開く"
BTN_TAKE_OVER = "編集中の目印を解除して開く"
BTN_CANCEL = "キャンセル"
LOCK_UNAVAILABLE = (
    "このフォルダーには編集中の目印(ロックファイル)を作れないため、ほかの人が同時に開いても気付けません。"
)
READ_ONLY_MARK = "(読み取り専用)"
LOCK_LOST = (
    "このファイルの編集はほかのPCに引き継がれました。上書き保存はせず、変更は「名前を付けて保存」で別のファイルに保存してください。"
)
OPENED_READ_ONLY = (
    "「{name}」は {holder} が編集中のため、読み取り専用で開きました。"
    "変更は「名前を付けて保存」で別のファイルに保存できます。"
)
SAVE_TARGET_HELD = "「{name}」は {holder} が編集中のため、この名前では保存できません。別の名前を指定してください。"

# --- saving (session.py) --------------------------------------------------------------------------
SAVE_LOCKED_TITLE = "上書き保存できません"
SAVE_LOCKED_INFO = "変更はまだ保存されていません。いま「名前を付けて保存」で別のファイルに保存しますか?"
BTN_SAVE_AS = "名前を付けて保存"
DEFAULT_FILE_NAME = "計画.xlsx"

# --- autosave and recovery (autosave.py) --------------------------------------------------------
RECOVERY_TITLE = "前回の作業の復元"
RECOVERY_TEXT = "保存されないまま終了した作業が見つかりました。復元しますか?"
RECOVERY_ITEM = "「{name}」 {time} に自動保存"
RECOVERY_NEW_PLAN = "無題(新しい計画)"
RECOVERY_ORIGINAL_CHANGED = "元のファイルは自動保存の後に更新されています。復元すると、その更新は反映されません。"
BTN_RESTORE = "復元する"
BTN_DISCARD_RECOVERY = "破棄する"
BTN_LATER = "後で決める"
RECOVERED = "「{name}」を {time} の自動保存から復元しました。内容を確認して保存してください。"
RECOVERY_LOAD_FAILED = "自動保存のデータを読み込めませんでした: {reason}"
AUTOSAVE_FAILED = "自動保存できませんでした({reason})。こまめに保存してください。"
AUTOSAVE_CAUSE = "{cause}ため"  # the reason of AUTOSAVE_FAILED for an OS error (io.safe_write.os_error_cause)
AUTOSAVE_UNEXPECTED = "予期しないエラー({kind})のため"
TIME_FORMAT = "{d.year}年{d.month}月{d.day}日 {d.hour}:{d.minute:02d}"

# --- unexpected errors (error_handler.py) ------------------------------------------------------
ERROR_TITLE = "予期しないエラー"
ERROR_TEXT = "予期しないエラーが発生しました。作業中の計画は保たれています。"
ERROR_INFO = (
    "念のため、いまのうちに「名前を付けて保存」で別の名前で保存してください。"
    "問題が続くときは、「詳細」の内容(選択してコピーできます)と記録ファイル「{log}」を担当者にお知らせください。"
)


def format_time(moment) -> str:
    """「2025年4月1日 9:05」: built by hand because strftime with Japanese text is unreliable on Windows."""
    return TIME_FORMAT.format(d=moment)
