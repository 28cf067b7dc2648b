"""The plans the benchmarks open: a large realistic plan (the one with budgets) and the 10,000-indicator stress plan.

``make_realistic_plan()`` is what a big city's plan grows to when it covers the national 策定要領's twelve items:
the published sample's sections 1–7 (``sample_data/plan_source.json``) plus sections 8–12, 600 indicators spread
unevenly over the ten indicator sections with labels, units, directions and notes like the published ones
(「1回以上」 with 以上, 「7か所(試行実施)」, a few 「-」 for years before a programme began), fiscal years R2–R16
(2020–2034) with targets for every year and actuals up to R7 (2025), every section-5 forecast input (population,
rates, growth, age shares, exclusions; the forecast starts at R7), and narratives and status rows of a few hundred
characters per section. It is seeded, so every run builds the same plan.

Only the plan model and ``io.source`` (the JSON the sample is built from) are used here: the benchmarks read and
write workbooks through ``load_plan``/``save_plan`` alone, whatever reads and writes .xlsx underneath.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "sample_data" / "plan_source.json"

REALISTIC_YEARS = tuple(range(2020, 2035))  # R2–R16
LAST_ACTUAL_YEAR = 2025  # R7: actuals are reported up to here
FIRST_FORECAST_YEAR = 2025  # the forecast's base year (措置率 R7 見込み is its heaviest edit)
REALISTIC_INDICATORS = 600
SEED = 20251128

WARDS = ("川崎区", "幸区", "中原区", "高津区", "宮前区", "多摩区", "麻生区")
CENTRES = ("こども家庭センター", "中部児童相談所", "北部児童相談所")
AGES = ("3歳未満", "3歳以上の就学前", "学童期以降")
FACILITIES = ("児童養護施設", "乳児院", "児童心理治療施設", "児童自立支援施設", "母子生活支援施設")
HOME_TYPES = ("Ⅰ型", "Ⅱ型", "Ⅲ型")
DISABILITY_TYPES = ("福祉型", "医療型")
BREAKDOWNS = {"w": WARDS, "c": CENTRES, "a": AGES, "f": FACILITIES, "t": HOME_TYPES, "d": DISABILITY_TYPES}

# How many indicators each section has (600 in all; the sample's own rows are counted in).
SECTION_SIZES = {2: 40, 3: 75, 4: 30, 6: 55, 7: 50, 8: 110, 9: 80, 10: 60, 11: 70, 12: 30}

NEW_SECTIONS = {
    8: ("8 里親・ファミリーホームへの委託の推進に向けた取組", "里親等委託の推進"),
    9: ("9 施設の小規模かつ地域分散化、高機能化及び多機能化・機能転換に向けた取組", "施設の小規模化・多機能化"),
    10: ("10 社会的養護自立支援の推進に向けた取組", "社会的養護自立支援"),
    11: ("11 児童相談所の強化等に向けた取組", "児童相談所の強化"),
    12: ("12 障害児入所施設における支援", "障害児入所施設"),
}

# Indicator templates: (label with an optional {w}/{c}/{a}/{f}/{t}/{d} breakdown, unit, direction, low, high).
# Direction: "higher", "lower", "at_least" (printed 「n回以上」), "exact". low/high: the R2 figure's range (% rows:
# percentage points).
TEMPLATES: dict[int, list[tuple[str, str, str, float, float]]] = {
    2: [
        ("意見表明等支援員の派遣回数({c})", "回", "higher", 10, 60),
        ("{f}入所児童への子どもの権利ノートの配付率", "%", "higher", 70, 95),
        ("{f}職員に対する権利擁護研修の受講者数", "人", "higher", 10, 80),
        ("人権オンブズパーソンへのこどもからの相談件数({w})", "件", "higher", 3, 30),
        ("措置開始時の意見聴取の実施率({c})", "%", "higher", 60, 90),
        ("子どもの権利に関する出前講座の実施回数({w})", "回", "higher", 2, 12),
        ("権利擁護に関する研修の実施回数(年)({c})", "回", "at_least", 1, 2),
        ("被措置児童等虐待の届出・通告件数", "件", "lower", 8, 15),
        ("社会的養護の当事者が参画する会議の開催回数(年)", "回", "at_least", 1, 3),
        ("{f}における意見箱の設置数", "か所", "higher", 1, 4),
        ("こどもの権利に関するアンケートの回答者数({c})", "人", "higher", 30, 120),
    ],
    3: [
        ("こども家庭センターにおける相談対応件数({w})", "件", "higher", 400, 1800),
        ("サポートプランの作成件数({w})", "件", "higher", 20, 150),
        ("要保護児童対策地域協議会の個別ケース検討会議の開催回数({w})", "回", "higher", 20, 90),
        ("子育て世帯訪問支援事業の利用件数({w})", "件", "higher", 10, 120),
        ("児童育成支援拠点事業の実施か所数({w})", "か所", "higher", 0, 2),
        ("親子関係形成支援事業の実施回数({w})", "回", "higher", 4, 24),
        ("子育て短期支援事業の延べ利用日数({w})", "日", "higher", 60, 400),
        ("養育支援訪問事業の訪問件数({w})", "件", "higher", 80, 600),
        ("児童家庭支援センターの相談対応件数({w})", "件", "higher", 300, 1500),
        ("虐待相談・通告受理から48時間以内の安全確認実施率({c})", "%", "higher", 85, 98),
        ("区役所職員向け児童虐待対応研修の実施回数", "回", "higher", 6, 12),
        ("ヤングケアラー支援に関する相談件数({w})", "件", "higher", 5, 40),
        ("地域子育て支援拠点の設置数({w})", "か所", "higher", 2, 6),
    ],
    4: [
        ("特定妊婦として支援した妊婦数({w})", "人", "higher", 10, 60),
        ("産後ケア事業の利用者数({w})", "人", "higher", 40, 300),
        ("妊婦面接(母子健康手帳交付時)の実施率({w})", "%", "higher", 80, 97),
        ("妊娠SOS相談の相談件数", "件", "higher", 300, 600),
        ("妊産婦等生活援助事業の延べ利用日数", "日", "higher", 100, 400),
        ("助産施設の利用件数", "件", "higher", 20, 60),
        ("母子生活支援施設の定員数", "人", "exact", 40, 60),
        ("妊産婦への家庭訪問の実施件数({w})", "件", "higher", 200, 900),
    ],
    6: [
        ("一時保護施設の定員数({c})", "人", "higher", 20, 40),
        ("一時保護施設の平均入所日数({c})", "日", "lower", 40, 60),
        ("一時保護施設の平均入所率({c})", "%", "lower", 80, 110),
        ("一時保護施設職員に対する研修の実施回数({c})", "回", "higher", 6, 12),
        ("一時保護中の通学支援の実施件数({c})", "件", "higher", 10, 80),
        ("一時保護中のこどもへの学習支援の実施回数({c})", "回", "higher", 50, 200),
        ("一時保護時の意見聴取の実施率({c})", "%", "higher", 70, 95),
        ("一時保護施設の心理職の配置数({c})", "人", "higher", 1, 4),
        ("一時保護委託が可能な里親数({w})", "人", "higher", 3, 15),
        ("一時保護委託の受入件数({f})", "件", "higher", 5, 40),
        ("一時保護施設の第三者評価の受審数", "か所", "higher", 0, 2),
        ("一時保護施設の夜間の職員配置数({c})", "人", "higher", 2, 5),
        ("一時保護中の医療機関受診件数({c})", "件", "higher", 20, 100),
        ("一時保護解除後のフォローアップ実施率({c})", "%", "higher", 60, 90),
        ("一時保護の開始件数({c})", "件", "higher", 150, 400),
        ("一時保護施設の定員超過日数({c})", "日", "lower", 10, 90),
        ("里親への一時保護委託件数({w})", "件", "higher", 2, 15),
    ],
    7: [
        ("特別養子縁組の成立件数({c})", "件", "higher", 0, 4),
        ("親子関係再構築支援の実施件数({c})", "件", "higher", 8, 30),
        ("家庭復帰に向けたプログラムの実施件数({c})", "件", "higher", 5, 25),
        ("措置解除後の家庭訪問等の実施率({c})", "%", "higher", 60, 90),
        ("親子交流(面会・外出・外泊)の実施回数({c})", "回", "higher", 100, 400),
        ("家庭復帰後のアフターケアの実施件数({w})", "件", "higher", 5, 40),
        ("養子縁組里親の登録数({w})", "人", "higher", 2, 12),
        ("パーマネンシー保障に関する研修の実施回数(年)({c})", "回", "at_least", 1, 2),
        ("特別養子縁組に関する説明会の開催回数", "回", "higher", 2, 6),
        ("親子関係再構築に関する研修の受講者数({c})", "人", "higher", 10, 40),
        ("措置中のこどもの家庭復帰件数({c})", "件", "higher", 10, 40),
        ("家庭復帰後の再措置件数({c})", "件", "lower", 1, 6),
        ("親族・知人等による養育への移行件数({c})", "件", "higher", 0, 5),
        ("保護者支援プログラムの参加者数({w})", "人", "higher", 2, 12),
    ],
    8: [
        ("養育里親の登録数({w})", "人", "higher", 10, 45),
        ("専門里親の登録数({w})", "人", "higher", 0, 5),
        ("親族里親の登録数({w})", "人", "higher", 0, 4),
        ("里親等委託率({a})", "%", "higher", 15, 45),
        ("里親等への委託児童数({a})", "人", "higher", 15, 90),
        ("ファミリーホームの設置数({w})", "か所", "higher", 0, 2),
        ("里親制度説明会の開催回数({w})", "回", "higher", 2, 8),
        ("里親のレスパイト・ケアの延べ利用日数({w})", "日", "higher", 10, 80),
        ("里親家庭への訪問支援の実施件数({w})", "件", "higher", 40, 200),
        ("里親サロンの開催回数({w})", "回", "higher", 4, 12),
        ("里親委託の不調による措置変更件数({c})", "件", "lower", 2, 8),
        ("未委託里親への研修の実施回数(年)({c})", "回", "at_least", 1, 3),
        ("里親支援センターの設置数", "か所", "higher", 0, 1),
        ("里親登録前研修の修了者数", "人", "higher", 20, 60),
        ("里親養育包括支援(フォスタリング)事業の委託か所数", "か所", "higher", 1, 2),
        ("里親等委託率(全体)", "%", "higher", 20, 30),
        ("里親等への委託児童数(全体)", "人", "higher", 80, 140),
        ("里親等委託率({w})", "%", "higher", 15, 40),
        ("里親等への委託児童数({w})", "人", "higher", 8, 25),
        ("里親への新規委託件数({a})", "件", "higher", 5, 20),
        ("里親登録の新規申込件数({w})", "件", "higher", 2, 10),
        ("里親向け研修の延べ受講者数({w})", "人", "higher", 10, 60),
        ("委託中の里親家庭との定期面談の実施率({c})", "%", "higher", 75, 95),
        ("ファミリーホームへの委託児童数({w})", "人", "higher", 0, 6),
        ("里親制度に関する出前講座の実施回数({w})", "回", "higher", 1, 6),
    ],
    9: [
        ("{f}の定員数", "人", "exact", 30, 90),
        ("{f}の入所児童数", "人", "lower", 20, 80),
        ("{f}の小規模グループケアの設置数", "か所", "higher", 1, 8),
        ("{f}の地域小規模児童養護施設(グループホーム)の設置数", "か所", "higher", 0, 4),
        ("{f}における心理療法担当職員の配置数", "人", "higher", 1, 4),
        ("{f}における家庭支援専門相談員の配置数", "人", "higher", 1, 3),
        ("{f}における里親支援専門相談員の配置数", "人", "higher", 0, 2),
        ("{f}の職員の専門研修の受講者数", "人", "higher", 10, 60),
        ("{f}の第三者評価の受審率", "%", "higher", 60, 100),
        ("{f}の平均入所期間", "日", "lower", 700, 1500),
        ("{f}における一時保護委託の受入件数", "件", "higher", 5, 40),
        ("{f}の多機能化に向けた地域支援事業の実施件数", "件", "higher", 2, 30),
        ("{f}の職員の離職者数", "人", "lower", 2, 10),
        ("小規模かつ地域分散化した施設の定員数({w})", "人", "higher", 0, 24),
        ("施設の多機能化・機能転換に向けた協議の開催回数({w})", "回", "at_least", 1, 3),
        ("{f}の職員の充足率", "%", "higher", 85, 100),
        ("{f}のユニットケアの定員数", "人", "higher", 6, 30),
    ],
    10: [
        ("措置解除者等への継続支援の実施件数({c})", "件", "higher", 20, 80),
        ("児童自立生活援助事業の利用者数({t})", "人", "higher", 5, 30),
        ("退所前の自立支援計画の策定率({f})", "%", "higher", 70, 95),
        ("自立支援担当職員の配置数({f})", "人", "higher", 1, 3),
        ("退所者へのアフターケアの相談対応件数({f})", "件", "higher", 20, 120),
        ("施設・里親家庭を離れたこどもの大学等進学率({c})", "%", "higher", 25, 45),
        ("施設・里親家庭を離れたこどもの就職率({c})", "%", "higher", 40, 60),
        ("生活スキル講座の開催回数({w})", "回", "higher", 2, 8),
        ("就労体験・職場見学の参加者数({w})", "人", "higher", 5, 25),
        ("自立援助ホームの設置数", "か所", "higher", 3, 5),
        ("自立援助ホームの定員数", "人", "higher", 18, 30),
        ("社会的養護自立支援拠点事業の利用者数", "人", "higher", 60, 150),
        ("住居費・生活費の貸付を受けた退所者数", "人", "higher", 10, 30),
        ("ケアリーバーの交流会の開催回数(年)", "回", "at_least", 2, 4),
        ("退所後の継続的な相談支援の利用者数({w})", "人", "higher", 3, 20),
        ("金銭管理講座の受講者数({f})", "人", "higher", 3, 15),
        ("施設・里親家庭を離れたこどもの所在把握率({c})", "%", "higher", 70, 95),
        ("ケアリーバーへの住まいの提供件数({c})", "件", "higher", 2, 10),
        ("児童自立生活援助事業の定員数({t})", "人", "higher", 6, 30),
    ],
    11: [
        ("児童福祉司の配置数({c})", "人", "higher", 40, 80),
        ("児童心理司の配置数({c})", "人", "higher", 15, 35),
        ("児童福祉司スーパーバイザーの配置数({c})", "人", "higher", 6, 14),
        ("医師・保健師の配置数({c})", "人", "higher", 1, 4),
        ("里親養育支援児童福祉司の配置数({c})", "人", "higher", 1, 3),
        ("弁護士による法的助言の件数({c})", "件", "higher", 20, 90),
        ("児童虐待相談・通告の対応件数({c})", "件", "higher", 1200, 2600),
        ("児童福祉司一人当たりの虐待相談対応件数({c})", "件", "lower", 30, 50),
        ("児童福祉司任用前・任用後研修の受講者数({c})", "人", "higher", 15, 45),
        ("こども家庭ソーシャルワーカー資格の取得者数({c})", "人", "higher", 0, 6),
        ("法的対応(28条申立て等)の件数({c})", "件", "higher", 3, 15),
        ("心理診断の実施件数({c})", "件", "higher", 300, 900),
        ("夜間・休日の相談対応件数({c})", "件", "higher", 200, 700),
        ("警察との合同研修の実施回数(年)({c})", "回", "at_least", 1, 2),
        ("市町村支援児童福祉司による区役所への助言件数({c})", "件", "higher", 30, 120),
        ("区役所との合同ケース会議の開催回数({w})", "回", "higher", 12, 48),
        ("要保護児童対策地域協議会実務者会議への出席回数({w})", "回", "higher", 6, 12),
        ("児童相談所虐待対応ダイヤル「189」の受理件数", "件", "higher", 500, 900),
        ("SNSによる相談の相談件数", "件", "higher", 100, 400),
        ("児童相談所職員の離職者数", "人", "lower", 8, 20),
        ("人材育成計画に基づく研修の実施回数", "回", "higher", 20, 40),
        ("一時保護の決定件数({c})", "件", "higher", 150, 400),
        ("児童相談所の相談受付件数({c})", "件", "higher", 2500, 5000),
        ("区役所職員への技術的助言の件数({w})", "件", "higher", 20, 80),
        ("こども家庭センターとの情報共有会議の開催回数({w})", "回", "higher", 6, 12),
    ],
    12: [
        ("{d}障害児入所施設の定員数", "人", "exact", 40, 80),
        ("{d}障害児入所施設の入所児童数", "人", "lower", 30, 70),
        ("{d}障害児入所施設の小規模グループケアの設置数", "か所", "higher", 0, 3),
        ("{d}障害児入所施設からの地域移行者数", "人", "higher", 2, 10),
        ("{d}障害児入所施設職員の研修受講者数", "人", "higher", 10, 40),
        ("{d}障害児入所施設における意見聴取の実施率", "%", "higher", 60, 90),
        ("{d}障害児入所施設の18歳以上の入所者数", "人", "lower", 3, 12),
        ("障害児相談支援の利用者数({w})", "人", "higher", 80, 300),
        ("児童発達支援センターの設置数({w})", "か所", "higher", 0, 2),
        ("障害児入所施設から里親等への移行者数", "人", "higher", 0, 3),
        ("障害のあるこどもを受託する里親数", "人", "higher", 3, 10),
        ("移行調整に係る協議の場の開催回数(年)", "回", "at_least", 1, 2),
        ("医療的ケア児等コーディネーターの配置数", "人", "higher", 4, 12),
        ("障害児入所施設の入所に関する相談件数({w})", "件", "higher", 5, 30),
    ],
}

NOTES = ("試行実施", "一部実施", "見込み", "暫定値")

# Sentences for the narratives and status rows of sections 8–12 (and extra status rows elsewhere).
SENTENCES: dict[int, list[str]] = {
    8: [
        "家庭養育優先原則に基づき、代替養育を必要とするこどもができる限り良好な家庭的環境で養育されるよう、里親及びファミリーホームへの委託を推進します。",
        "本市の里親等委託率は年々上昇していますが、国が示す目標(乳幼児75%以上、学童期以降50%以上)との差は依然として大きく、特に3歳未満の乳幼児の委託推進が課題となっています。",
        "里親のリクルートから研修、マッチング、委託中の支援、委託解除後の支援までを一貫して担う里親支援センターを設置し、フォスタリング業務の質の向上を図ります。",
        "登録はしているものの委託に至っていない未委託里親に対し、実習や交流の機会を設け、委託につながるよう支援します。",
        "区役所や地域の子育て支援機関と連携し、各区で里親制度説明会や体験発表会を開催して、里親制度の周知と新たな担い手の確保に取り組みます。",
        "委託中の里親家庭に対しては、定期的な家庭訪問やレスパイト・ケアの利用促進、里親サロンによる里親同士の交流を通じて、孤立を防ぎ養育を支えます。",
        "委託の不調による措置変更はこどもに大きな負担を与えることから、マッチング段階からの丁寧なアセスメントと委託後の早期の支援介入に努めます。",
        "ファミリーホームについては、養育者の確保と運営の安定に向けた支援を行い、各区への設置をめざします。",
    ],
    9: [
        "施設で生活するこどもができる限り良好な家庭的環境で養育されるよう、施設の小規模かつ地域分散化を計画的に進めます。",
        "本市の児童養護施設及び乳児院では、小規模グループケアや地域小規模児童養護施設の設置が進んでいますが、本園の大舎制ユニットが残る施設もあり、施設ごとの整備計画に基づく改修や移転を支援します。",
        "ケアニーズの高いこどもに対応するため、心理療法担当職員や家庭支援専門相談員などの専門職の配置を充実させ、施設の高機能化を図ります。",
        "施設が培ってきた専門性を地域の子育て家庭の支援に活かすため、一時保護委託の受入れ、ショートステイ、親子関係再構築支援などの多機能化・機能転換を進めます。",
        "小規模化に伴い職員一人ひとりの負担が大きくなることから、職員の確保と定着に向けた処遇改善や研修体系の整備を法人と協議しながら進めます。",
        "施設の第三者評価の受審と結果の公表を通じて、養育の質の継続的な改善を図ります。",
        "乳児院については、乳幼児の里親委託の推進と並行して、里親支援や特定妊婦への支援など新たな役割を担う機能転換の在り方を検討します。",
    ],
    10: [
        "社会的養護のもとで育ったこどもが、措置解除後も地域で安定した生活を送ることができるよう、自立に向けた支援を措置中から切れ目なく行います。",
        "退所前には、こども本人の意見を聴きながら自立支援計画を策定し、住まい、進学・就労、金銭管理などの準備を計画的に進めます。",
        "社会的養護自立支援拠点事業において、相談支援や居場所の提供、当事者同士の交流の機会を設け、退所後に孤立しないよう支えます。",
        "児童自立生活援助事業の対象年齢の弾力化を踏まえ、自立援助ホームや施設、里親家庭での生活の継続を必要に応じて認めます。",
        "大学等への進学を希望するこどもが経済的な理由で断念することのないよう、給付型奨学金や貸付制度の周知と申請支援を行います。",
        "就労を希望するこどもには、協力企業での職場体験や就労後の定着支援を行い、安定した就労につなげます。",
        "施設や里親家庭を離れたこどもの生活状況を定期的に把握するため、アフターケアの相談記録を一元的に管理し、支援の必要なこどもを早期に把握します。",
    ],
    11: [
        "児童虐待相談・通告件数の増加や、こども家庭センターとの連携など児童相談所に求められる役割の拡大に対応するため、児童相談所の体制強化を進めます。",
        "国の配置基準を踏まえ、児童福祉司及び児童心理司を計画的に増員するとともに、経験の浅い職員を支えるスーパーバイザーの配置を充実させます。",
        "職員の専門性の向上に向けて、任用前・任用後研修に加え、こども家庭ソーシャルワーカーの資格取得を支援し、人材育成計画に基づく研修を体系的に実施します。",
        "法的対応が必要な事案に適切に対応するため、弁護士による助言体制を整え、28条申立てや親権停止などの手続を迅速に行います。",
        "警察や医療機関、学校等の関係機関との情報共有と合同研修を通じて、初期対応の迅速化と的確なリスク判断を図ります。",
        "区役所の地域みまもり支援センター(こども家庭センター)と役割分担を明確にし、合同ケース会議等により在宅支援を一体的に進めます。",
        "夜間・休日の相談対応やSNSによる相談窓口を充実させ、こどもや保護者が相談しやすい環境を整えます。",
    ],
    12: [
        "障害のあるこどもが、障害の特性に応じた専門的な支援を受けながら、できる限り家庭的な環境で生活できるよう支援します。",
        "障害児入所施設においても小規模グループケアの導入を進め、生活単位の小規模化と家庭的な養育環境の整備を図ります。",
        "18歳以上で障害児入所施設に入所している方について、障害福祉サービス等への円滑な移行に向けて、移行調整に係る協議の場を設けて関係機関と調整します。",
        "障害のあるこどもを受託する里親への研修やレスパイト・ケアを充実させ、家庭での養育を選択できるよう支援します。",
        "医療的ケアが必要なこどもへの支援を調整する医療的ケア児等コーディネーターを配置し、地域での生活を支えます。",
        "児童発達支援センターを中核として、地域の障害児支援の体制整備を進め、入所に至る前の家庭への支援を充実させます。",
        "入所しているこどもの意見を聴く機会を定期的に設け、生活や支援の内容に反映させます。",
    ],
}
GENERIC_SENTENCES = [
    "取組の進捗は毎年度、評価のための指標により点検し、川崎市児童福祉審議会に報告して意見を聴きます。",
    "計画期間の中間年には、こどもの数や措置の状況の変化を踏まえて見直しを行います。",
    "取組にあたっては、こども本人や社会的養護の経験者の意見を聴く機会を設け、施策に反映させます。",
    "関係機関との連携を強化し、支援が途切れることのないよう情報共有の仕組みを整えます。",
    "国の補助制度を活用しながら、必要な財源の確保に努めます。",
]
HEADINGS = ("(1) 現状と課題", "(2) 取組の方向性", "(3) 主な取組", "(4) 評価のための指標の考え方")
STATUS_ITEMS: dict[int, list[str]] = {
    2: ["意見表明等支援事業の実施", "人権オンブズパーソンとの連携"],
    3: ["児童育成支援拠点事業の実施", "子育て世帯訪問支援事業の実施"],
    4: ["産後ケア事業の実施", "妊娠SOS相談の実施"],
    6: ["一時保護中の学習・通学支援", "一時保護委託先の確保"],
    7: ["家庭復帰に向けた支援プログラムの実施", "特別養子縁組の推進"],
    8: ["里親のリクルートと研修", "里親支援センターの設置", "委託中の里親家庭への支援", "ファミリーホームの設置促進",
        "未委託里親への支援"],
    9: ["小規模グループケアの設置", "専門職の配置", "施設の多機能化", "職員の確保と定着", "第三者評価の受審"],
    10: ["自立支援計画の策定", "社会的養護自立支援拠点事業の実施", "進学・就労の支援", "アフターケアの実施"],
    11: ["児童福祉司・児童心理司の増員", "人材育成と研修", "法的対応の強化", "関係機関との連携", "相談窓口の充実"],
    12: ["小規模グループケアの導入", "18歳以上の入所者の移行調整", "障害児を受託する里親への支援",
         "医療的ケア児等への支援"],
}


def _paragraph(rng: random.Random, pool: list[str], low: int, high: int) -> str:
    """Sentences from ``pool`` (then the generic ones) until the text is ``low``–``high`` characters long."""
    sentences = rng.sample(pool, len(pool)) + rng.sample(GENERIC_SENTENCES, len(GENERIC_SENTENCES))
    target = rng.randint(low, high)
    out = ""
    for sentence in sentences:
        if len(out) >= target:
            break
        out += sentence
    return out


def _status_description(rng: random.Random, pool: list[str]) -> str:
    picked = rng.sample(pool, min(len(pool), rng.randint(2, 3)))
    if rng.random() < 0.4:
        return "\n".join("・" + s for s in picked)
    return "".join(picked)


def _candidates(number: int) -> list[tuple[str, str, str, float, float]]:
    out = []
    for label, unit, direction, low, high in TEMPLATES[number]:
        keys = [k for k in BREAKDOWNS if "{" + k + "}" in label]
        if not keys:
            out.append((label, unit, direction, low, high))
            continue
        for value in BREAKDOWNS[keys[0]]:
            out.append((label.replace("{" + keys[0] + "}", value), unit, direction, low, high))
    return out


def _text(number: float, unit: str, print_unit: bool, decimals: int = 0, qualifier: str = "", note: str = "") -> str:
    body = f"{number:,.{decimals}f}" + (unit if print_unit else "") + qualifier
    return body + (f"({note})" if note else "")


def _series(rng: random.Random, years, unit: str, direction: str, low: float, high: float) -> tuple[dict, dict]:
    """Targets for every year and actuals up to LAST_ACTUAL_YEAR, as (number, qualifier) by year."""
    plan, actual = {}, {}
    start = rng.uniform(low, high)
    if unit == "%":
        step = {"higher": rng.uniform(0.3, 2.0), "lower": -rng.uniform(0.3, 1.5)}.get(direction, 0.0)
        for k, year in enumerate(years):
            value = min(100.0, max(0.0, start + step * k))
            plan[year] = (round(value, 1), "")
            if year <= LAST_ACTUAL_YEAR:
                actual[year] = (round(min(100.0, max(0.0, value + rng.uniform(-6.0, 2.5))), 1), "")
        return plan, actual
    if direction == "at_least":
        base = max(1, round(start))
        for year in years:
            plan[year] = (base, "以上")
            if year <= LAST_ACTUAL_YEAR:
                actual[year] = (base, "以上") if rng.random() < 0.6 else (base + rng.randint(0, 2), "")
        return plan, actual
    growth = {"higher": rng.uniform(0.005, 0.05), "lower": -rng.uniform(0.005, 0.04)}.get(direction, 0.0)
    small = high <= 12  # か所, 班, staff counts: whole steps now and then, not a smooth curve
    for k, year in enumerate(years):
        value = start * (1 + growth) ** k
        value = max(0, round(value + (k // 4 if small and direction == "higher" else 0)))
        plan[year] = (value, "")
        if year <= LAST_ACTUAL_YEAR:
            actual[year] = (max(0, round(value * rng.uniform(0.82, 1.08))), "")
    return plan, actual


def _new_indicator(rng: random.Random, years, label: str, unit: str, direction: str, low: float, high: float):
    from kawasaki_planner.core.plan import Direction, Indicator
    from kawasaki_planner.core.values import conform, parse_figure

    print_unit = unit == "%" or rng.random() > 0.06
    indicator = Indicator(label=label, unit=unit, print_unit=print_unit, direction=Direction(direction))
    plan, actual = _series(rng, years, unit, direction, low, high)
    decimals = 1 if unit == "%" else 0
    new_from = rng.choice((2022, 2023, 2024)) if rng.random() < 0.05 else None  # a programme begun later: 「-」 before
    noted = rng.random() < 0.05
    for kind, values in (("plan", plan), ("actual", actual)):
        for year, (number, qualifier) in values.items():
            note = ""
            if noted and kind == "plan" and year == LAST_ACTUAL_YEAR + 1 and unit == "か所":
                note = "試行実施"
            elif noted and kind == "plan" and year == LAST_ACTUAL_YEAR + 1:
                note = rng.choice(NOTES)
            elif kind == "actual" and year == LAST_ACTUAL_YEAR and rng.random() < 0.04:
                note = "見込み"
            text = "-" if new_from and year < new_from else _text(number, unit, print_unit, decimals, qualifier, note)
            indicator.set_figure(year, kind, conform(parse_figure(text), unit, print_unit))
    return indicator


def _extend_sample_indicator(rng: random.Random, indicator, years) -> None:
    """The sample's rows (R6 actual, R7–R11 targets) filled out to every target and every actual up to R7."""
    planned = sorted(indicator.plan)
    if not planned:
        return
    for year in years:
        if year in indicator.plan:
            continue
        nearest = min(planned, key=lambda y: abs(y - year))
        indicator.plan[year] = _varied(indicator.plan[nearest], 1.0 if year > nearest else rng.uniform(0.85, 1.0))
    for year in years:
        if year > LAST_ACTUAL_YEAR or year in indicator.actual:
            continue
        source = indicator.actual.get(year - 1) or indicator.actual.get(year + 1) or indicator.plan[year]
        indicator.actual[year] = _varied(source, rng.uniform(0.85, 1.05))


def _varied(figure, factor: float):
    """The same dressing (unit, 以上, 「区で実施」) around a scaled number; notes stay with the original cell."""
    from dataclasses import replace

    if figure.number is None or figure.qualifier or factor == 1.0:
        return replace(figure, note="")
    number = (figure.number * Decimal(str(factor))).quantize(Decimal(1).scaleb(-figure.decimals))
    return replace(figure.with_number(number), note="")


def _forecast_inputs(rng: random.Random, years, adoptions: dict[tuple[int, str], Decimal | None]):
    """Every section-5 input: actuals R2–R7 (population, 措置率, 増加率, the age split, exclusions), 見込み R7–R16."""
    from kawasaki_planner.core import forecast as fc
    from kawasaki_planner.core.values import conform, parse_figure, round_half_up

    inputs = fc.ForecastInputs(years=years, first_year=FIRST_FORECAST_YEAR)

    def put(key, year, kind, text):
        spec = fc.ALL_ROWS[key]
        inputs.cells[(key, year, kind)] = conform(parse_figure(text), spec.unit, spec.print_unit)

    shares = (Decimal("9.4"), Decimal("14.1"), Decimal("76.5"))
    for (group, _), share in zip(fc.AGE_GROUPS, shares, strict=True):
        put(f"share.{group}", None, "plan", f"{share}%")
    population, rate = 257_300, Decimal("0.118")
    for year in years:
        if year <= LAST_ACTUAL_YEAR:  # 実績
            put("population", year, "actual", f"{population:,}")
            growth = Decimal(str(round(rng.uniform(2.0, 4.5), 1)))
            rate = rate * (1 + growth / 100)
            put("rate", year, "actual", f"{rate:.3f}%")
            put("growth", year, "actual", f"{growth}%")
            before = int(round_half_up(Decimal(population) * Decimal(f"{rate:.3f}") / 100))
            placed = before - int(adoptions.get((year, "actual")) or 0)
            parts = fc.apportion(placed, [s + Decimal(str(round(rng.uniform(-1.0, 1.0), 1))) for s in shares])
            for (group, _), count in zip(fc.AGE_GROUPS, parts, strict=True):
                put(f"age.{group}", year, "actual", f"{count}")
                put(f"excluded.{group}", year, "actual", f"{max(0, round(count * rng.uniform(0.0, 0.2)))}")
        if year >= FIRST_FORECAST_YEAR:  # 見込み
            put("population", year, "plan", f"{population:,}")
            if year == FIRST_FORECAST_YEAR:
                put("rate", year, "plan", "0.144%")
            else:
                put("growth", year, "plan", f"{rng.choice(('2.5', '2.7', '2.7', '3.0'))}%")
            for group, low, high in (("infant", 0, 2), ("preschool", 4, 8), ("school", 50, 75)):
                put(f"excluded.{group}", year, "plan", f"{rng.randint(low, high)}")
        population = round(population * (1 - rng.uniform(0.008, 0.02)))
    return inputs


def make_realistic_plan(seed: int = SEED):
    """The sample's seven sections plus 8–12, 600 indicators, R2–R16: see the module docstring."""
    from kawasaki_planner.core.plan import NarrativeBlock, Plan, Section, StatusItem
    from kawasaki_planner.io.source import load_source

    rng = random.Random(seed)
    sample = load_source(SOURCE)
    years = REALISTIC_YEARS
    sections = list(sample.sections)
    for number, (title, short) in NEW_SECTIONS.items():
        pool = SENTENCES[number]
        narrative = [NarrativeBlock(h, _paragraph(rng, pool, 180, 480)) for h in HEADINGS[: rng.randint(3, 4)]]
        sections.append(Section(number, title, short, narrative=narrative))
    by_number = {s.number: s for s in sections}
    for number, size in SECTION_SIZES.items():
        section = by_number[number]
        for indicator in section.indicators:
            _extend_sample_indicator(rng, indicator, years)
        taken = {i.label for i in section.indicators}
        candidates = [c for c in _candidates(number) if c[0] not in taken]
        wanted = size - len(section.indicators)
        if wanted > len(candidates):
            raise ValueError(f"section {number}: {len(candidates)} indicator templates for {wanted} rows")
        keep = set(rng.sample(range(len(candidates)), wanted))  # dropped at random, the rest in template order
        for k, (label, unit, direction, low, high) in enumerate(candidates):
            if k in keep:
                section.indicators.append(_new_indicator(rng, years, label, unit, direction, low, high))
        pool = SENTENCES.get(number) or [t + "。" for b in section.narrative for t in b.text.replace("\n", "").split("。") if len(t) > 20]
        for item in STATUS_ITEMS.get(number, []):
            section.status.append(StatusItem(item, _status_description(rng, pool)))
    plan = Plan(sections, None, title=sample.title, years=years)
    plan.forecast_inputs = _forecast_inputs(rng, years, plan.adoption_numbers())
    plan.stored_derived = {}
    plan.recompute()
    count = sum(len(s.indicators) for s in plan.sections)
    if count != REALISTIC_INDICATORS:
        raise ValueError(f"the realistic plan has {count} indicators, not {REALISTIC_INDICATORS}")
    return plan


def make_stress_plan(count: int = 10_000, sections: tuple[int, ...] = (2, 3, 4, 6, 7)):
    """The sample plan plus ``count`` synthetic indicators spread over the indicator sections, every year planned and
    reported (R6–R11 × 目標/実績), with varied units and directions: a stress figure, far beyond any real plan.

    Built from the sample's source, not its workbook: a plan read from a workbook is saved back into it, and that
    workbook has no rows for the added indicators."""
    from kawasaki_planner.core.plan import Direction, Indicator
    from kawasaki_planner.core.values import conform, parse_figure
    from kawasaki_planner.io.source import load_source

    plan = load_source(SOURCE)
    units = [("人", "{:,}"), ("%", "{:.1f}%"), ("か所", "{:,}か所"), ("件", "{:,}件"), ("回", "{:,}回")]
    directions = [Direction.HIGHER, Direction.LOWER, Direction.AT_LEAST, Direction.HIGHER]
    per_section = count // len(sections)
    number = 0
    for section_number in sections:
        section = plan.section(section_number)
        for _ in range(per_section):
            unit, pattern = units[number % len(units)]
            indicator = Indicator(label=f"合成指標 {number:05d}", unit=unit, direction=directions[number % len(directions)])
            for k, year in enumerate(plan.years):
                planned = (number % 97) * 10 + k * 3 + 5 if unit != "%" else 40 + (number % 50) / 2 + k
                actual = max(0, planned - (number + k) % 7) if unit != "%" else planned - ((number + k) % 5) / 2
                indicator.plan[year] = conform(parse_figure(pattern.format(planned)), unit, True)
                indicator.actual[year] = conform(parse_figure(pattern.format(actual)), unit, True)
            section.indicators.append(indicator)
            number += 1
    plan.recompute()
    return plan
