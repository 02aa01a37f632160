"""A reproducible, realistic-looking synthetic year of dossiers and a synthetic procedure catalogue.

Everything here is plain numpy/polars (no Django, no database): the 2023 units come from
`province_records`, working days from `WorkCalendar` with the shipped day overrides. The output is
made for demonstrations, load tests and the importer: every procedure code starts with `SYN.` and
every procedure name with `[Mô phỏng] `, so nobody can take it for the real national catalogue.

Reproducibility: the output is a function of (year, count, seed) only. Random numbers are drawn in
fixed blocks of `BLOCK` rows, each block from its own generator seeded with (seed, block number), so the
size of the chunks a caller asks for does not change a byte. Acceptance times are laid out along the
year by the row's position (row i sits at quantile (i + u)/count of the year's intake), so the file is
in chronological order and a block never needs to know about the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cchc.dossiers import columns
from cchc.units.divisions import COMMUNE, DEPARTMENT, DISTRICT, province_records
from cchc.workdays.rules import WorkCalendar, shipped_calendar

# The file contract is the importer's: the generator writes exactly the columns the issue lists.
CATALOGUE_COLUMNS = list(columns.CATALOGUE_COLUMNS)
# Every column of the contract, the optional ones too (reuse of papers for 2.7, the stock of results for 2.3).
DOSSIER_COLUMNS = list(columns.DOSSIER_COLUMNS)
DATE_COLUMNS = ["NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"]
SUPPLEMENT_DATE_COLUMNS = ["NgayYeuCauBoSung", "NgayHoanThanhBoSung"]
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S"
ALT_FORMAT = "%d/%m/%Y %H:%M"  # the importer's other accepted format; written for ALT_FORMAT_SHARE of rows
ALT_FORMAT_SHARE = 0.05
NAME_PREFIX = "[Mô phỏng] "
CODE_PREFIX = "SYN."
BLOCK = 50_000  # rows per random block: part of the output's definition, do not change casually
RATINGS = ["rat_hai_long", "hai_long", "khong_hai_long"]

OFFICE_OPEN = 7 * 3600 + 30 * 60  # 07:30
OFFICE_CLOSE = 17 * 3600  # 17:00
NA = -1  # missing timestamp inside the generator (epoch seconds of local wall-clock time otherwise)

# Time-limit units; codes as in the catalogue.
NO_LIMIT, HOURS, DAYS, WORKING_DAYS, MONTHS = 0, 1, 2, 3, 4
UNIT_CODES = {HOURS: "gio", DAYS: "ngay", WORKING_DAYS: "ngay_lam_viec", MONTHS: "thang"}

W = "ngay_lam_viec"
LIMITS_FAST = [(1, W, 4), (3, W, 3), (5, W, 2), (8, "gio", 1)]
LIMITS_CERT = [(1, W, 6), (2, W, 3), (4, "gio", 1), (8, "gio", 1)]
LIMITS_MEDIUM = [(5, W, 2), (7, W, 2), (10, W, 3), (15, W, 3), (20, W, 1), (30, "ngay", 1)]
LIMITS_LONG = [(15, W, 2), (20, W, 3), (30, W, 3), (30, "ngay", 1), (45, "ngay", 1), (3, "thang", 0.4)]
LIMITS_BUSINESS = [(3, W, 7), (5, W, 2), (10, W, 1)]
LIMITS_COMPLAINT = [(30, "ngay", 3), (45, "ngay", 2), (2, "thang", 1)]


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    owner: str  # the provincial department that carries the sector's provincial procedures
    fee: float  # share of procedures with a fee
    full: float  # share offered as full online service
    partial: float  # share offered as partial online service
    limits: list
    stems: str  # one procedure a line: "<levels>|<name>", levels t/h/x (tỉnh/huyện/xã); "!" = internal


# Listed most-requested first within each level: popularity decays with the rank.
SECTORS = [
    Sector(
        "SYN.LV01",
        "Hộ tịch",
        "STP",
        0.2,
        0.45,
        0.35,
        LIMITS_FAST,
        """
x|Đăng ký khai sinh
x|Đăng ký khai tử
x|Cấp bản sao Trích lục hộ tịch
x|Cấp Giấy xác nhận tình trạng hôn nhân
x|Đăng ký kết hôn
x|Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi
x|Thay đổi, cải chính, bổ sung thông tin hộ tịch
x|Đăng ký lại khai sinh
x|Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân
x|Đăng ký nhận cha, mẹ, con
x|Đăng ký khai sinh kết hợp nhận cha, mẹ, con
x|Liên thông các thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất
x|Đăng ký lại kết hôn
x|Đăng ký lại khai tử
x|Đăng ký giám hộ
x|Đăng ký chấm dứt giám hộ
x|Đăng ký khai sinh lưu động
x|Đăng ký kết hôn lưu động
x|Đăng ký khai tử lưu động
h|Đăng ký kết hôn có yếu tố nước ngoài
h|Đăng ký khai sinh có yếu tố nước ngoài
h|Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc
h|Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài
h|Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài
h|Đăng ký khai tử có yếu tố nước ngoài
h|Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài
h|Đăng ký lại khai sinh có yếu tố nước ngoài
h|Đăng ký giám hộ có yếu tố nước ngoài
t|Cấp bản sao Trích lục hộ tịch tại Sở Tư pháp
""",
    ),
    Sector(
        "SYN.LV02",
        "Chứng thực",
        "STP",
        0.85,
        0.15,
        0.35,
        LIMITS_CERT,
        """
hx|Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp hoặc chứng nhận
hx|Chứng thực chữ ký trong các giấy tờ, văn bản
hx|Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở
x|Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở
x|Chứng thực di chúc
hx|Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch
x|Chứng thực văn bản khai nhận di sản mà di sản là động sản, quyền sử dụng đất, nhà ở
x|Chứng thực văn bản từ chối nhận di sản
hx|Sửa lỗi sai sót trong hợp đồng, giao dịch
hx|Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực
h|Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của nước ngoài cấp
h|Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật
h|Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật
h|Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản
""",
    ),
    Sector(
        "SYN.LV03",
        "Đất đai",
        "STNMT",
        0.5,
        0.15,
        0.5,
        LIMITS_LONG,
        """
h|Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho, thừa kế
h|Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất
h|Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất
h|Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu
h|Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất
h|Tách thửa hoặc hợp thửa đất
h|Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân
h|Đăng ký biến động do đổi tên, thay đổi thông tin về người sử dụng đất, giảm diện tích thửa đất do sạt lở tự nhiên
h|Cung cấp thông tin, dữ liệu đất đai
h|Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất
h|Đính chính Giấy chứng nhận đã cấp
h|Đăng ký thay đổi nội dung biện pháp bảo đảm bằng quyền sử dụng đất
h|Gia hạn sử dụng đất ngoài khu công nghệ cao, khu kinh tế đối với hộ gia đình, cá nhân
h|Xác nhận tiếp tục sử dụng đất nông nghiệp của hộ gia đình, cá nhân khi hết hạn sử dụng đất
h|Chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân
h|Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề
h|Xóa đăng ký cho thuê, cho thuê lại, góp vốn bằng quyền sử dụng đất
h|Giao đất, cho thuê đất cho hộ gia đình, cá nhân không thông qua đấu giá quyền sử dụng đất
h|Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp huyện
h|Thu hồi Giấy chứng nhận đã cấp không đúng quy định của pháp luật đất đai
t|Đăng ký biến động quyền sử dụng đất đối với tổ chức
t|Cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho tổ chức
t|Giao đất, cho thuê đất cho tổ chức không thông qua đấu giá quyền sử dụng đất
t|Chuyển mục đích sử dụng đất đối với tổ chức
t|Đăng ký thế chấp quyền sử dụng đất của tổ chức
t|Gia hạn sử dụng đất đối với tổ chức
t|Thu hồi đất do chấm dứt việc sử dụng đất theo pháp luật, tự nguyện trả lại đất
t|Thẩm định nhu cầu sử dụng đất để xem xét giao đất, cho thuê đất
t|Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp tỉnh
t|Cung cấp dữ liệu đất đai tại Văn phòng Đăng ký đất đai tỉnh
x|Hòa giải tranh chấp đất đai
x|Tiếp nhận hồ sơ đăng ký đất đai, cấp Giấy chứng nhận tại Ủy ban nhân dân cấp xã
""",
    ),
    Sector(
        "SYN.LV04",
        "Xây dựng",
        "SXD",
        0.4,
        0.2,
        0.5,
        LIMITS_MEDIUM,
        """
h|Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ
h|Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ
h|Điều chỉnh giấy phép xây dựng đối với nhà ở riêng lẻ
h|Gia hạn giấy phép xây dựng đối với nhà ở riêng lẻ
h|Cấp lại giấy phép xây dựng đối với nhà ở riêng lẻ
h|Cấp giấy phép di dời công trình
h|Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng
t|Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II
t|Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III
t|Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III
t|Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng
t|Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở
t|Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình
t|Điều chỉnh giấy phép xây dựng đối với công trình
t|Gia hạn giấy phép xây dựng đối với công trình
t|Kiểm tra công tác nghiệm thu hoàn thành công trình
t|Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, thuê mua
t|Cấp giấy phép hoạt động xây dựng cho nhà thầu nước ngoài
""",
    ),
    Sector(
        "SYN.LV05",
        "Đăng ký kinh doanh",
        "SKHDT",
        0.45,
        0.7,
        0.2,
        LIMITS_BUSINESS,
        """
h|Đăng ký thành lập hộ kinh doanh
h|Đăng ký thay đổi nội dung đăng ký hộ kinh doanh
h|Chấm dứt hoạt động hộ kinh doanh
h|Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh
h|Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh
h|Đăng ký thành lập hợp tác xã
h|Đăng ký thay đổi nội dung đăng ký hợp tác xã
h|Giải thể tự nguyện hợp tác xã
t|Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên
t|Đăng ký thay đổi người đại diện theo pháp luật của công ty
t|Đăng ký thành lập doanh nghiệp tư nhân
t|Đăng ký thành lập công ty cổ phần
t|Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên
t|Đăng ký thay đổi địa chỉ trụ sở chính của doanh nghiệp
t|Đăng ký thay đổi vốn điều lệ, tỷ lệ vốn góp
t|Thông báo thay đổi ngành, nghề kinh doanh
t|Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh
t|Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn
t|Giải thể doanh nghiệp
t|Cấp lại Giấy chứng nhận đăng ký doanh nghiệp
t|Chuyển đổi công ty trách nhiệm hữu hạn thành công ty cổ phần
""",
    ),
    Sector(
        "SYN.LV06",
        "Đầu tư",
        "SKHDT",
        0.0,
        0.2,
        0.5,
        LIMITS_LONG,
        """
t|Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh
t|Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư
t|Điều chỉnh dự án đầu tư
t|Ngừng hoạt động của dự án đầu tư
t|Chấm dứt hoạt động của dự án đầu tư
t|!Thẩm định dự án đầu tư sử dụng vốn ngân sách địa phương
""",
    ),
    Sector(
        "SYN.LV07",
        "Lao động",
        "SLDTBXH",
        0.15,
        0.35,
        0.4,
        LIMITS_MEDIUM,
        """
t|Giải quyết hưởng trợ cấp thất nghiệp
t|Tạm dừng hưởng trợ cấp thất nghiệp
t|Chấm dứt hưởng trợ cấp thất nghiệp
t|Hỗ trợ học nghề cho người đang hưởng trợ cấp thất nghiệp
t|Chuyển nơi hưởng trợ cấp thất nghiệp
t|Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam
t|Gia hạn giấy phép lao động cho người lao động nước ngoài
t|Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động
t|Cấp lại giấy phép lao động cho người lao động nước ngoài
t|Đăng ký nội quy lao động của doanh nghiệp
t|Cấp giấy phép hoạt động cho thuê lại lao động
t|Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp
h|Gửi thỏa ước lao động tập thể cấp doanh nghiệp
h|Đăng ký nội quy lao động của doanh nghiệp tại cấp huyện
""",
    ),
    Sector(
        "SYN.LV08",
        "Bảo trợ xã hội",
        "SLDTBXH",
        0.0,
        0.25,
        0.45,
        LIMITS_MEDIUM,
        """
x|Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng
x|Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật
x|Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội
x|Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm
x|Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm
x|Đổi, cấp lại Giấy xác nhận khuyết tật
x|Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở
h|Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội cấp huyện
h|Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền cấp huyện
h|Chi trả trợ cấp xã hội hàng tháng khi đối tượng thay đổi nơi cư trú trong huyện
t|Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội thuộc thẩm quyền cấp tỉnh
t|Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội cấp tỉnh
""",
    ),
    Sector(
        "SYN.LV09",
        "Người có công",
        "SLDTBXH",
        0.0,
        0.2,
        0.45,
        LIMITS_MEDIUM,
        """
hx|Giải quyết chế độ mai táng phí đối với cựu chiến binh
hx|Giải quyết trợ cấp một lần đối với người có thành tích tham gia kháng chiến đã được tặng Bằng khen
x|Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ
h|Hưởng trợ cấp khi người có công đang hưởng trợ cấp ưu đãi từ trần
t|Sửa đổi, bổ sung thông tin cá nhân trong hồ sơ người có công
t|Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú
t|Giải quyết chế độ trợ cấp ưu đãi đối với thân nhân liệt sĩ
t|Công nhận và giải quyết chế độ ưu đãi người hoạt động kháng chiến bị nhiễm chất độc hóa học
""",
    ),
    Sector(
        "SYN.LV10",
        "Y tế",
        "SYT",
        0.5,
        0.25,
        0.55,
        LIMITS_MEDIUM + [(60, "ngay", 1)],
        """
t|Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh đối với người Việt Nam
t|Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ thuốc
t|Cấp chứng chỉ hành nghề dược
t|Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất thực phẩm
t|Cấp lại chứng chỉ hành nghề khám bệnh, chữa bệnh
t|Cấp giấy phép hoạt động đối với phòng khám chuyên khoa
t|Điều chỉnh phạm vi hoạt động chuyên môn trong chứng chỉ hành nghề khám bệnh, chữa bệnh
t|Cấp giấy phép hoạt động đối với cơ sở dịch vụ tiêm, chích, thay băng, đếm mạch, đo nhiệt độ, đo huyết áp
t|Cấp lại chứng chỉ hành nghề dược
t|Cấp giấy xác nhận nội dung quảng cáo thực phẩm
t|Cấp giấy phép hoạt động đối với phòng khám đa khoa
t|Công bố cơ sở đủ điều kiện thực hiện khám sức khỏe
t|Công bố đủ điều kiện mua bán trang thiết bị y tế
t|Cấp giấy chứng nhận là lương y
t|Khám giám định thương tật lần đầu do tai nạn lao động
t|Cấp giấy phép hoạt động đối với trạm y tế cấp xã
t|!Thẩm định danh mục kỹ thuật của cơ sở khám bệnh, chữa bệnh công lập
h|Xác nhận kiến thức về an toàn thực phẩm cho chủ cơ sở kinh doanh dịch vụ ăn uống
h|Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống
""",
    ),
    Sector(
        "SYN.LV11",
        "Giáo dục",
        "SGDDT",
        0.1,
        0.3,
        0.4,
        LIMITS_MEDIUM,
        """
t|Cấp bản sao văn bằng, chứng chỉ từ sổ gốc
t|Chuyển trường đối với học sinh trung học phổ thông
t|Chỉnh sửa nội dung văn bằng, chứng chỉ
t|Phúc khảo bài thi tốt nghiệp trung học phổ thông
t|Công nhận văn bằng tốt nghiệp các cấp học phổ thông do cơ sở nước ngoài cấp
t|Cho phép thành lập trung tâm ngoại ngữ, tin học
t|Cấp phép hoạt động giáo dục kỹ năng sống
t|Xin học lại tại trường khác đối với học sinh trung học
t|Cho phép trường trung học phổ thông tư thục hoạt động giáo dục
t|!Thẩm định đề án vị trí việc làm của cơ sở giáo dục công lập
h|Chuyển trường đối với học sinh trung học cơ sở
h|Cấp bản sao văn bằng tốt nghiệp trung học cơ sở từ sổ gốc
h|Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú
h|Cho phép trường mầm non tư thục hoạt động giáo dục
h|Cho phép thành lập trường tiểu học tư thục
x|Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục
x|Sáp nhập, chia, tách nhóm trẻ, lớp mẫu giáo độc lập
""",
    ),
    Sector(
        "SYN.LV12",
        "Giao thông",
        "SGTVT",
        0.5,
        0.45,
        0.35,
        LIMITS_MEDIUM + [(5, W, 4)],
        """
t|Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp
t|Cấp phù hiệu xe ô tô kinh doanh vận tải
t|Cấp lại Giấy phép lái xe
t|Cấp Giấy phép lái xe quốc tế
t|Đổi Giấy phép lái xe do ngành Công an cấp
t|Cấp Giấy phép kinh doanh vận tải bằng xe ô tô
t|Cấp lại phù hiệu xe ô tô kinh doanh vận tải
t|Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ
t|Cấp giấy phép thi công công trình trên đường bộ đang khai thác
t|Đổi giấy phép lái xe do nước ngoài cấp
t|Cấp Giấy chứng nhận đăng ký xe máy chuyên dùng lần đầu
t|Cấp giấy phép xe tập lái
t|Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ
t|Đăng ký khai thác tuyến vận tải hành khách cố định
t|Cấp Giấy chứng nhận đăng ký phương tiện thủy nội địa lần đầu
t|Cấp Giấy chứng nhận giáo viên dạy thực hành lái xe
h|Đăng ký phương tiện thủy nội địa lần đầu tại cấp huyện
h|Cấp giấy phép thi công công trình trên đường huyện
h|Chấp thuận đấu nối tạm thời vào đường huyện
""",
    ),
    Sector(
        "SYN.LV13",
        "Tư pháp",
        "STP",
        0.35,
        0.3,
        0.4,
        LIMITS_MEDIUM,
        """
t|Yêu cầu trợ giúp pháp lý
t|Đăng ký hành nghề và cấp Thẻ công chứng viên
t|Đăng ký hoạt động Văn phòng công chứng
t|Đăng ký hoạt động của tổ chức hành nghề luật sư
t|Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại
t|Cấp thẻ tư vấn viên pháp luật
t|Đăng ký hành nghề quản tài viên
t|Đăng ký nuôi con nuôi có yếu tố nước ngoài
t|Đăng ký hoạt động của Trung tâm trọng tài
h|Công nhận báo cáo viên pháp luật cấp huyện
x|Đăng ký việc nuôi con nuôi trong nước
x|Công nhận tổ trưởng tổ hòa giải
x|Thực hiện chi thù lao cho hòa giải viên
x|Thôi làm hòa giải viên
""",
    ),
    Sector(
        "SYN.LV14",
        "Lý lịch tư pháp",
        "STP",
        0.9,
        0.6,
        0.3,
        [(10, W, 3), (15, W, 1)],
        """
t|Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam
t|Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị - xã hội
t|Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng
""",
    ),
    Sector(
        "SYN.LV15",
        "Nội vụ",
        "SNV",
        0.0,
        0.2,
        0.45,
        LIMITS_MEDIUM,
        """
t|Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh
t|Tặng danh hiệu Tập thể lao động xuất sắc
t|Tặng Cờ thi đua của Ủy ban nhân dân cấp tỉnh
t|Đăng ký người được bổ nhiệm, bầu cử, suy cử làm chức việc của tổ chức tôn giáo
t|Chấp thuận tổ chức cuộc lễ ngoài cơ sở tôn giáo có quy mô tổ chức ở nhiều huyện
t|Thành lập hội có phạm vi hoạt động trong tỉnh
t|Phê duyệt điều lệ hội
t|!Thẩm định thành lập đơn vị sự nghiệp công lập
t|!Thẩm định tổ chức lại, giải thể đơn vị sự nghiệp công lập
t|!Xét chuyển cán bộ, công chức cấp xã thành công chức từ cấp huyện trở lên
t|!Thi nâng ngạch công chức
h|Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện
h|Tặng danh hiệu Lao động tiên tiến
h|Thông báo tổ chức quyên góp trong địa bàn một huyện của cơ sở tín ngưỡng, tổ chức tôn giáo
x|Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã
x|Đăng ký hoạt động tín ngưỡng
x|Đăng ký sinh hoạt tôn giáo tập trung
x|Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã
""",
    ),
    Sector(
        "SYN.LV16",
        "Công Thương",
        "SCT",
        0.45,
        0.4,
        0.45,
        LIMITS_MEDIUM,
        """
t|Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu
t|Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi
t|Cấp Giấy phép bán buôn sản phẩm rượu
t|Cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm thuộc lĩnh vực công thương
t|Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai
t|Cấp giấy phép hoạt động điện lực
t|Cấp Giấy phép kinh doanh cho tổ chức kinh tế có vốn đầu tư nước ngoài
t|Cấp Giấy phép sử dụng vật liệu nổ công nghiệp
t|Xác nhận đăng ký tổ chức hội chợ, triển lãm thương mại
t|Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài
t|Cấp Giấy phép bán buôn sản phẩm thuốc lá
h|Cấp Giấy phép bán lẻ rượu
h|Cấp Giấy phép bán lẻ sản phẩm thuốc lá
h|Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh
h|Cấp Giấy chứng nhận đủ điều kiện kinh doanh khí tại cửa hàng bán lẻ
""",
    ),
    Sector(
        "SYN.LV17",
        "Nông nghiệp",
        "SNNPTNT",
        0.35,
        0.25,
        0.45,
        LIMITS_MEDIUM,
        """
t|Cấp Giấy chứng nhận đăng ký tàu cá
t|Cấp văn bản chấp thuận đóng mới, cải hoán, thuê, mua tàu cá
t|Cấp, cấp lại giấy phép khai thác thủy sản
t|Cấp giấy chứng nhận an toàn kỹ thuật tàu cá
t|Cấp giấy xác nhận nguyên liệu thủy sản khai thác
t|Cấp giấy chứng nhận thủy sản khai thác
t|Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh
t|Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản
t|Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật
t|Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón
t|Phê duyệt phương án trồng rừng thay thế
t|Công nhận làng nghề, làng nghề truyền thống
h|Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai
h|Cấp giấy xác nhận đăng ký nuôi trồng thủy sản lồng bè
h|Phê duyệt kế hoạch khuyến nông địa phương
x|Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh
x|Xác nhận bảng kê lâm sản
x|Xác nhận hợp đồng tiếp cận nguồn gen và chia sẻ lợi ích
""",
    ),
    Sector(
        "SYN.LV18",
        "Môi trường",
        "STNMT",
        0.45,
        0.2,
        0.5,
        LIMITS_LONG,
        """
t|Cấp giấy phép môi trường
t|Thẩm định báo cáo đánh giá tác động môi trường
t|Cấp giấy phép khai thác, sử dụng nước dưới đất
t|Cấp giấy phép khai thác, sử dụng nước mặt
t|Cấp giấy phép xả nước thải vào nguồn nước
t|Cấp giấy phép khai thác khoáng sản
t|Cấp giấy phép thăm dò khoáng sản
t|Giao khu vực biển
t|Đóng cửa mỏ khoáng sản
h|Cấp giấy phép môi trường thuộc thẩm quyền cấp huyện
h|Tham vấn trong đánh giá tác động môi trường
x|Đăng ký môi trường tại Ủy ban nhân dân cấp xã
""",
    ),
    Sector(
        "SYN.LV19",
        "Văn hóa, Thể thao và Du lịch",
        "SVHTTDL",
        0.35,
        0.35,
        0.45,
        LIMITS_MEDIUM,
        """
t|Cấp thẻ hướng dẫn viên du lịch
t|Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa
t|Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao
t|Cấp giấy phép kinh doanh dịch vụ lữ hành quốc tế
t|Cấp giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao
t|Tiếp nhận thông báo tổ chức biểu diễn nghệ thuật
t|Cấp giấy phép tổ chức triển lãm
t|Thủ tục cấp phép nhập khẩu văn hóa phẩm không nhằm mục đích kinh doanh
h|Cấp giấy phép kinh doanh dịch vụ karaoke
h|Cấp giấy phép kinh doanh dịch vụ vũ trường
h|Công nhận lần đầu cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa
x|Xét tặng danh hiệu Gia đình văn hóa hằng năm
x|Xét tặng Giấy khen Gia đình văn hóa
x|Thông báo tổ chức lễ hội cấp xã
x|Đăng ký hoạt động thư viện tư nhân có vốn sách ban đầu từ 500 bản đến dưới 1.000 bản
""",
    ),
    Sector(
        "SYN.LV20",
        "Thông tin và Truyền thông",
        "STTTT",
        0.2,
        0.6,
        0.3,
        LIMITS_MEDIUM,
        """
t|Cấp giấy phép xuất bản bản tin
t|Cấp giấy phép hoạt động in
t|Đăng ký hoạt động cơ sở in
t|Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp
t|Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh
t|Cấp giấy phép bưu chính
t|Thông báo hoạt động bưu chính
h|Cấp giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng
h|Gia hạn giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng
""",
    ),
    Sector(
        "SYN.LV21",
        "Khoa học và Công nghệ",
        "SKHCN",
        0.3,
        0.4,
        0.4,
        LIMITS_MEDIUM,
        """
t|Cấp giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán trong y tế
t|Cấp chứng chỉ nhân viên bức xạ
t|Tiếp nhận bản công bố hợp quy
t|Kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu
t|Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ
t|Cấp giấy chứng nhận đăng ký hoạt động khoa học và công nghệ
t|Đăng ký hợp đồng chuyển giao công nghệ
""",
    ),
    Sector(
        "SYN.LV22",
        "Tài chính",
        "STC",
        0.2,
        0.3,
        0.4,
        LIMITS_MEDIUM,
        """
t|Đăng ký mã số đơn vị có quan hệ với ngân sách
t|Tiếp nhận văn bản kê khai giá
t|Quyết định giá thuộc thẩm quyền của Ủy ban nhân dân cấp tỉnh
t|Xác lập quyền sở hữu toàn dân đối với tài sản do tổ chức, cá nhân tự nguyện chuyển giao
t|!Thẩm định quyết toán vốn đầu tư dự án hoàn thành
t|!Thẩm định phương án sắp xếp lại, xử lý tài sản công
h|Quyết định giá thuộc thẩm quyền của Ủy ban nhân dân cấp huyện
""",
    ),
    Sector(
        "SYN.LV23",
        "Khiếu nại, tố cáo",
        "TTT",
        0.0,
        0.0,
        0.25,
        LIMITS_COMPLAINT,
        """
thx|Giải quyết khiếu nại lần đầu
thx|Giải quyết tố cáo
th|Giải quyết khiếu nại lần hai
thx|Tiếp công dân
thx|Xử lý đơn khiếu nại, tố cáo, kiến nghị, phản ánh
""",
    ),
    Sector(
        "SYN.LV24",
        "Công tác dân tộc",
        "BDT",
        0.0,
        0.0,
        0.4,
        LIMITS_MEDIUM,
        """
t|Công nhận người có uy tín trong đồng bào dân tộc thiểu số
t|Đưa ra khỏi danh sách người có uy tín trong đồng bào dân tộc thiểu số
h|Xét, công nhận người có uy tín trong đồng bào dân tộc thiểu số cấp huyện
x|!Xác định thôn, xã vùng đồng bào dân tộc thiểu số và miền núi
""",
    ),
    Sector(
        "SYN.LV25",
        "Ngoại vụ",
        "VPUBND",
        0.0,
        0.2,
        0.4,
        LIMITS_MEDIUM,
        """
t|Cho phép sử dụng thẻ đi lại của doanh nhân APEC
t|Tiếp nhận, phê duyệt khoản viện trợ phi chính phủ nước ngoài
t|!Cho phép cán bộ, công chức, viên chức xuất cảnh việc riêng
t|!Cho phép tổ chức hội nghị, hội thảo quốc tế
""",
    ),
    Sector(
        "SYN.LV26",
        "Quản lý khu công nghiệp",
        "BQLKCN",
        0.3,
        0.4,
        0.4,
        LIMITS_MEDIUM,
        """
t|Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án trong khu công nghiệp
t|Điều chỉnh Giấy chứng nhận đăng ký đầu tư đối với dự án trong khu công nghiệp
t|Cấp giấy phép lao động cho người nước ngoài làm việc trong khu công nghiệp
t|Cấp giấy phép xây dựng công trình trong khu công nghiệp
t|Đăng ký nội quy lao động của doanh nghiệp trong khu công nghiệp
t|Xác nhận hợp đồng, văn bản về bất động sản trong khu công nghiệp
""",
    ),
]
SECTOR_BY_NAME = {s.name: s for s in SECTORS}
LAND_SECTOR = "Đất đai"
LEVEL_NAMES = {"t": "tinh", "h": "huyen", "x": "xa"}

# Relative volume of each sector among the dossiers of a level (unlisted sectors: 0.5).
COMMUNE_SECTOR_WEIGHT = {
    "Hộ tịch": 48,
    "Chứng thực": 36,
    "Bảo trợ xã hội": 5,
    "Người có công": 2,
    "Đất đai": 2,
    "Nội vụ": 1.2,
    "Văn hóa, Thể thao và Du lịch": 1.2,
    "Nông nghiệp": 1,
    "Giáo dục": 0.8,
    "Tư pháp": 0.8,
    "Khiếu nại, tố cáo": 0.6,
    "Môi trường": 0.3,
    "Công tác dân tộc": 0.1,
}
DISTRICT_SECTOR_WEIGHT = {
    "Đất đai": 42,
    "Chứng thực": 11,
    "Đăng ký kinh doanh": 10,
    "Xây dựng": 9,
    "Hộ tịch": 4,
    "Bảo trợ xã hội": 4,
    "Người có công": 2,
    "Giáo dục": 3,
    "Công Thương": 2.5,
    "Nội vụ": 2,
    "Y tế": 1.5,
    "Giao thông": 1.2,
    "Văn hóa, Thể thao và Du lịch": 1.2,
    "Nông nghiệp": 1.2,
    "Môi trường": 1,
    "Khiếu nại, tố cáo": 1,
    "Lao động": 0.8,
}
PROVINCE_SECTOR_WEIGHT = {
    "Lý lịch tư pháp": 6,
    "Lao động": 4,
    "Đăng ký kinh doanh": 4,
    "Đất đai": 3,
    "Giao thông": 3,
    "Y tế": 3,
    "Hộ tịch": 0.2,
    "Đầu tư": 0.6,
    "Khiếu nại, tố cáo": 0.5,
}
# Share of the provincial dossiers each department handles (TTHCC: the one-stop centre).
DEPARTMENT_VOLUME = {
    "SGTVT": 20,
    "SKHDT": 12,
    "STNMT": 12,
    "STP": 10,
    "SLDTBXH": 10,
    "SYT": 7,
    "SNNPTNT": 6,
    "SXD": 4,
    "SGDDT": 4,
    "SCT": 3,
    "SVHTTDL": 2,
    "SNV": 1.5,
    "STTTT": 1,
    "SKHCN": 1,
    "STC": 1,
    "BQLKCN": 1,
    "TTT": 0.5,
    "VPUBND": 0.3,
    "BDT": 0.2,
    "TTHCC": 24,
}
ONE_STOP_CENTRE = "TTHCC"
LEVEL_SHARE = {DEPARTMENT: 0.18, DISTRICT: 0.30, COMMUNE: 0.52}
# Rough 2019 population (thousands) of the districts: drives their volumes.
DISTRICT_POPULATION = {
    "593": 230,
    "594": 108,
    "595": 146,
    "596": 124,
    "597": 173,
    "598": 106,
    "599": 105,
    "600": 130,
    "601": 80,
    "602": 30,
}
BUSIEST_DISTRICT = "593"  # Phan Thiết: its city hall and wards get extra volume


# --------------------------------------------------------------------------------------------------
# Calendar


def default_calendar(year: int) -> WorkCalendar:
    return shipped_calendar([year])


# --------------------------------------------------------------------------------------------------
# Catalogue


def _parse_stems(sector: Sector) -> list[tuple[str, str, bool]]:
    out = []
    for line in sector.stems.strip().splitlines():
        levels, name = line.split("|", 1)
        internal = name.startswith("!")
        out.append((levels, name.lstrip("!"), internal))
    return out


def generate_catalogue(seed: int) -> pl.DataFrame:
    """About 350 synthetic procedures across realistic sectors; deterministic in `seed`."""
    rng = np.random.default_rng([seed, 0])
    rows = []
    number = 0
    for sector in SECTORS:
        limit_weights = np.array([w for _, _, w in sector.limits], dtype=float)
        for rank, (levels, name, internal) in enumerate(_parse_stems(sector)):
            number += 1
            r = rng.random(8)
            if internal:
                online = ""
            elif r[0] < sector.full:
                online = "toan_trinh"
            elif r[0] < sector.full + sector.partial:
                online = "mot_phan"
            else:
                online = ""
            has_fee = (not internal) and r[1] < sector.fee
            pays_online = has_fee and r[2] < (0.75 if online else 0.25)
            n, unit, _ = sector.limits[rng.choice(len(sector.limits), p=limit_weights / limit_weights.sum())]
            if name in ("Tiếp công dân", "Xử lý đơn khiếu nại, tố cáo, kiến nghị, phản ánh") or (
                rank >= 3 and r[3] < 0.03
            ):
                n, unit = None, ""  # no time limit
            rows.append(
                {
                    "MaTTHC": f"{CODE_PREFIX}{number:06d}",
                    "TenTTHC": NAME_PREFIX + name,
                    "MaLinhVuc": sector.code,
                    "TenLinhVuc": sector.name,
                    "CapThucHien": ",".join(LEVEL_NAMES[c] for c in levels),
                    "MucDoDVCTT": online,
                    "DuDieuKienToanTrinh": int(online == "toan_trinh" or (not internal and r[4] < 0.3)),
                    "TichHopDVCQG": int(bool(online) and r[5] < 0.85),
                    "CoPhiLePhi": int(has_fee),
                    "ThanhToanTrucTuyen": int(pays_online),
                    "YeuCauKetQuaGiay": int(r[6] < 0.85),
                    "ThoiHanGiaiQuyet": n,
                    "DonViTinh": unit,
                    "NoiBo": int(internal),
                    # Eligible for online service (2.4a): what is offered is; of the rest, about six in ten.
                    "DuDieuKienDVCTT": int(not internal and (bool(online) or r[7] < 0.6)),
                    # The owning department of a provincial-level procedure (the sector's).
                    "CoQuanThucHien": sector.owner if "t" in levels else None,
                }
            )
    schema = {c: pl.Int8 for c in CATALOGUE_COLUMNS}
    schema.update({c: pl.String for c in ("MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "CapThucHien", "MucDoDVCTT")})
    schema["DonViTinh"] = pl.String
    schema["CoQuanThucHien"] = pl.String
    schema["ThoiHanGiaiQuyet"] = pl.Int32
    # Empty text is written as null, so the CSV shows a bare empty field (polars quotes "" otherwise).
    return pl.DataFrame(rows, schema=schema).with_columns(pl.col("MucDoDVCTT", "DonViTinh").replace("", None))


# --------------------------------------------------------------------------------------------------
# The model: everything derived once from (year, seed, catalogue)


@dataclass
class _Model:
    year: int
    year_end: int  # last second of the year
    wd: np.ndarray  # working days of the calendar, int64 days since 1970-01-01
    calendar: WorkCalendar
    cell_cum: np.ndarray  # cumulative intake weight of (working day, minute) cells of the year
    cell_start: np.ndarray  # start of each cell, seconds
    last_days_idx: int  # working-day index from which a dossier counts as "accepted in the last days"
    unit_codes: np.ndarray
    unit_cum: np.ndarray
    unit_group: np.ndarray
    groups: list  # per group: (procedure indices, cumulative probabilities)
    group_online_mean: np.ndarray
    # per unit
    online: np.ndarray
    late: np.ndarray
    route: np.ndarray
    digitised: np.ndarray
    eresult: np.ndarray
    sync: np.ndarray
    rated: np.ndarray
    dissatisfied: np.ndarray
    supplement: np.ndarray
    # per procedure
    proc_codes: np.ndarray
    limit_n: np.ndarray
    limit_unit: np.ndarray
    omit_due: np.ndarray
    fee: np.ndarray
    pay_online: np.ndarray
    online_factor: np.ndarray
    proc_late: np.ndarray
    proc_supplement: np.ndarray


def _office_minute_weights() -> np.ndarray:
    """Relative intake per minute of the day from 07:30 to 16:59 (lunch break 11:30–13:30 is quiet)."""
    minutes = np.arange(OFFICE_OPEN // 60, OFFICE_CLOSE // 60)
    w = np.ones(len(minutes))
    hm = minutes / 60
    w[hm < 8] = 0.6
    w[(hm >= 8) & (hm < 11)] = 1.5
    w[(hm >= 11) & (hm < 11.5)] = 0.9
    w[(hm >= 11.5) & (hm < 13.5)] = 0.06
    w[(hm >= 13.5) & (hm < 16)] = 1.0
    w[hm >= 16] = 0.55
    return minutes, w


MONTH_FACTOR = np.array([1.15, 0.85, 1.05, 1.0, 0.95, 1.0, 1.0, 1.05, 0.95, 1.0, 1.05, 1.12])
WEEKDAY_FACTOR = np.array([1.15, 1.02, 1.0, 0.98, 0.9, 0.6, 0.5])


def _build_model(year: int, seed: int, catalogue: pl.DataFrame, calendar: WorkCalendar | None) -> _Model:
    rng = np.random.default_rng([seed, 2])
    calendar = calendar or default_calendar(year)
    wd = calendar.working_days.astype("datetime64[D]").astype(np.int64)
    first = np.datetime64(dt.date(year, 1, 1), "D").astype(np.int64)
    last = np.datetime64(dt.date(year, 12, 31), "D").astype(np.int64)
    year_days = wd[(wd >= first) & (wd <= last)]
    if not len(year_days):
        raise ValueError(f"no working days in {year}")

    # Intake along the year: month, weekday (the make-up Saturday is quiet) and a little noise.
    as_dates = year_days.astype("datetime64[D]")
    months = as_dates.astype("datetime64[M]").astype(int) % 12
    weekdays = (year_days + 3) % 7  # 1970-01-01 was a Thursday
    day_w = MONTH_FACTOR[months] * WEEKDAY_FACTOR[weekdays] * rng.lognormal(0, 0.08, len(year_days))
    minutes, minute_w = _office_minute_weights()
    cell_w = np.outer(day_w, minute_w).ravel()
    cell_cum = np.cumsum(cell_w)
    cell_start = (year_days[:, None] * 86400 + minutes[None, :] * 60).ravel()
    last_days_idx = int(np.searchsorted(wd, year_days[-2]))

    # Procedures.
    proc_codes = catalogue["MaTTHC"].to_numpy().astype(str)
    sectors = catalogue["TenLinhVuc"].to_list()
    unknown = {s for s in sectors if s not in SECTOR_BY_NAME}
    if unknown:
        raise ValueError(f"sectors not known to the generator: {sorted(unknown)}")
    owners = np.array([SECTOR_BY_NAME[s].owner for s in sectors])
    levels = catalogue["CapThucHien"].to_list()
    at = {lv: np.array([lv in x.split(",") for x in levels]) for lv in ("tinh", "huyen", "xa")}
    internal = catalogue["NoiBo"].to_numpy().astype(bool)
    online_level = catalogue["MucDoDVCTT"].to_list()
    online_factor = np.array([{"toan_trinh": 1.3, "mot_phan": 0.8}.get(x, 0.0) for x in online_level])
    limit_n = catalogue["ThoiHanGiaiQuyet"].fill_null(0).to_numpy().astype(np.int64)
    unit_by_name = {v: k for k, v in UNIT_CODES.items()}
    limit_unit = np.array([unit_by_name.get(x or "", NO_LIMIT) for x in catalogue["DonViTinh"].to_list()])
    limit_unit[limit_n <= 0] = NO_LIMIT
    fee = catalogue["CoPhiLePhi"].to_numpy().astype(bool)
    pay_online = catalogue["ThanhToanTrucTuyen"].to_numpy().astype(bool)
    is_land = np.array([s == LAND_SECTOR for s in sectors])
    n_proc = len(proc_codes)
    proc_late = rng.lognormal(0, 0.35, n_proc) * np.where(is_land, 2.2, 1.0)
    proc_supplement = rng.lognormal(0, 0.3, n_proc) * np.where(is_land, 1.6, 1.0)
    # Popularity: rank within (sector, level) in listed order, Zipf-like, with noise.
    popularity = np.zeros((3, n_proc))
    best_rank = np.full(n_proc, n_proc)
    for li, lv in enumerate(("tinh", "huyen", "xa")):
        rank_in: dict[str, int] = {}
        for i in range(n_proc):
            if at[lv][i]:
                r = rank_in.get(sectors[i], 0)
                rank_in[sectors[i]] = r + 1
                popularity[li, i] = (r + 1) ** -1.15
                best_rank[i] = min(best_rank[i], r)
    popularity *= rng.lognormal(0, 0.4, n_proc)[None, :]
    popularity[:, internal] *= 0.1

    # A few procedures (never a sector's three most requested) whose dossiers come without NgayHenTra:
    # the importer must compute it from the catalogue.
    candidates = np.flatnonzero((limit_unit != NO_LIMIT) & (best_rank >= 3) & ~internal)
    omit_due = np.zeros(n_proc, dtype=bool)
    omit_due[rng.choice(candidates, size=min(len(candidates), max(1, n_proc // 35)), replace=False)] = True

    def level_weights(li: int, sector_weight: dict) -> np.ndarray:
        w = popularity[li].copy()
        sums: dict[str, float] = {}
        for i in np.flatnonzero(w):
            sums[sectors[i]] = sums.get(sectors[i], 0.0) + w[i]
        for i in np.flatnonzero(w):
            w[i] *= sector_weight.get(sectors[i], 0.5) / sums[sectors[i]]
        return w

    # Units (not the province itself) and their groups.
    records = [r for r in province_records("60") if r.kind in (DEPARTMENT, DISTRICT, COMMUNE)]
    unit_codes = np.array([r.code for r in records])
    kinds = [r.kind for r in records]
    departments = [r.code for r in records if r.kind == DEPARTMENT]
    group_weights = []
    group_of_dept = {}
    province_w = level_weights(0, PROVINCE_SECTOR_WEIGHT)
    for code in departments:
        if code == ONE_STOP_CENTRE:
            continue
        w = np.where(owners == code, province_w, 0.0)
        if w.sum() == 0:
            raise ValueError(f"department {code} owns no provincial procedure")
        group_of_dept[code] = len(group_weights)
        group_weights.append(w / w.sum())
    # The one-stop centre receives for every department, land most of all.
    centre = np.zeros(n_proc)
    for code, g in group_of_dept.items():
        centre += DEPARTMENT_VOLUME.get(code, 0.5) * group_weights[g]
    centre *= np.where(is_land, 2.5, 1.0)
    centre[internal] = 0
    group_of_dept[ONE_STOP_CENTRE] = len(group_weights)
    group_weights.append(centre / centre.sum())
    district_group = len(group_weights)
    w = level_weights(1, DISTRICT_SECTOR_WEIGHT)
    group_weights.append(w / w.sum())
    commune_group = len(group_weights)
    w = level_weights(2, COMMUNE_SECTOR_WEIGHT)
    group_weights.append(w / w.sum())
    groups = []
    for gw in group_weights:
        idx = np.flatnonzero(gw > 0)
        cum = np.cumsum(gw[idx])
        groups.append((idx, cum / cum[-1]))
    group_online_mean = np.array([max(float((gw * online_factor).sum()), 0.05) for gw in group_weights])

    # Unit volumes.
    n_units = len(records)
    weight = np.zeros(n_units)
    group = np.zeros(n_units, dtype=np.int64)
    children: dict[str, int] = {}
    for r in records:
        if r.kind == COMMUNE:
            children[r.parent_code] = children.get(r.parent_code, 0) + 1
    noise = rng.lognormal(0, 1, n_units)
    for i, r in enumerate(records):
        if r.kind == DEPARTMENT:
            weight[i] = DEPARTMENT_VOLUME.get(r.code, 0.5) * noise[i] ** 0.1
            group[i] = group_of_dept[r.code]
        elif r.kind == DISTRICT:
            boost = 1.6 if r.code == BUSIEST_DISTRICT else 1.0
            weight[i] = DISTRICT_POPULATION.get(r.code, 100) * boost * noise[i] ** 0.15
            group[i] = district_group
        else:
            pop = DISTRICT_POPULATION.get(r.parent_code, 100)
            boost = (1.5 if r.parent_code == BUSIEST_DISTRICT else 1.0) * (1.2 if r.division_type == "phường" else 1.0)
            weight[i] = pop / children[r.parent_code] * boost * noise[i] ** 0.45
            group[i] = commune_group
    for kind, share in LEVEL_SHARE.items():
        mask = np.array([k == kind for k in kinds])
        weight[mask] *= share / weight[mask].sum()
    unit_cum = np.cumsum(weight)
    unit_cum /= unit_cum[-1]

    # Unit profiles: a latent "badness" z (communes inherit part of their district's) and a few laggards.
    index_of = {r.code: i for i, r in enumerate(records)}
    z = rng.normal(0, 1, n_units)
    for i, r in enumerate(records):
        if r.kind == COMMUNE:
            z[i] = 0.6 * z[index_of[r.parent_code]] + 0.8 * z[i]
    district_idx = np.array([i for i, k in enumerate(kinds) if k == DISTRICT])
    commune_idx = np.array([i for i, k in enumerate(kinds) if k == COMMUNE])
    scored_dept_idx = np.array([i for i, r in enumerate(records) if r.kind == DEPARTMENT and r.is_scored])
    laggard = np.zeros(n_units, dtype=bool)
    laggard[rng.choice(district_idx[district_idx != index_of[BUSIEST_DISTRICT]], 2, replace=False)] = True
    laggard[rng.choice(scored_dept_idx, 2, replace=False)] = True
    laggard[rng.choice(commune_idx, 10, replace=False)] = True

    online = np.zeros(n_units)
    online[district_idx] = rng.permutation(np.linspace(0.12, 0.55, len(district_idx)))
    for i in commune_idx:
        parent = index_of[records[i].parent_code]
        online[i] = np.clip(online[parent] * rng.lognormal(0, 0.3), 0.05, 0.7)
    dept_mask = np.array([k == DEPARTMENT for k in kinds])
    online[dept_mask] = rng.uniform(0.2, 0.65, dept_mask.sum())
    online[index_of[ONE_STOP_CENTRE]] = 0.45
    online = np.where(laggard, online * 0.5, online)

    def bounded(base, scale, lo, hi, bad):
        return np.where(laggard, bad, np.clip(base - scale * z, lo, hi))

    return _Model(
        year=year,
        year_end=int((last + 1) * 86400 - 1),
        wd=wd,
        calendar=calendar,
        cell_cum=cell_cum,
        cell_start=cell_start,
        last_days_idx=last_days_idx,
        unit_codes=unit_codes,
        unit_cum=unit_cum,
        unit_group=group,
        groups=groups,
        group_online_mean=group_online_mean,
        online=online,
        late=np.where(laggard, rng.uniform(0.16, 0.26, n_units), np.clip(0.035 * np.exp(0.55 * z), 0.004, 0.2)),
        route=bounded(0.82, 0.08, 0.4, 0.99, rng.uniform(0.35, 0.55, n_units)),
        digitised=bounded(0.55, 0.15, 0.1, 0.95, rng.uniform(0.1, 0.25, n_units)),
        eresult=bounded(0.62, 0.15, 0.15, 0.97, rng.uniform(0.15, 0.3, n_units)),
        sync=bounded(0.95, 0.02, 0.85, 0.999, rng.uniform(0.72, 0.82, n_units)),
        rated=rng.uniform(0.25, 0.7, n_units),
        dissatisfied=np.where(laggard, rng.uniform(0.12, 0.2, n_units), np.clip(0.03 * np.exp(0.4 * z), 0.005, 0.1)),
        supplement=np.where(laggard, 0.17, np.clip(0.09 * np.exp(0.3 * z), 0.03, 0.2)),
        proc_codes=proc_codes,
        limit_n=limit_n,
        limit_unit=limit_unit,
        omit_due=omit_due,
        fee=fee,
        pay_online=pay_online,
        online_factor=online_factor,
        proc_late=proc_late,
        proc_supplement=proc_supplement,
    )


# --------------------------------------------------------------------------------------------------
# Dossiers


def _add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Same day `months` later (clamped to the month's last day); int days in, int days out."""
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m.astype("datetime64[D]")).astype(np.int64)
    target = m + months.astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (target.astype("datetime64[D]") + np.minimum(dom, length - 1)).astype(np.int64)


def _office_tod(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random time of day within office hours (seconds), busier in the morning."""
    morning = rng.random(n) < 0.58
    return np.where(
        morning,
        rng.integers(OFFICE_OPEN, 11 * 3600 + 30 * 60, n),
        rng.integers(13 * 3600 + 30 * 60, OFFICE_CLOSE, n),
    )


def _later_same_day(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """A moment between t and the office's closing on t's day (t itself when t is after closing)."""
    tod = t % 86400
    return t + (np.maximum(OFFICE_CLOSE - tod, 0) * rng.uniform(0.05, 1.0, len(t))).astype(np.int64)


def _block(m: _Model, start: int, n: int, count: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng([seed, 1, start // BLOCK])
    wd = m.wd
    last_wd = len(wd) - 1
    row = np.arange(start, start + n, dtype=np.int64)

    # Where the row sits in the year (chronological order), which unit, which procedure.
    q = (row + rng.random(n)) / count
    cell = np.minimum(np.searchsorted(m.cell_cum, q * m.cell_cum[-1], side="right"), len(m.cell_cum) - 1)
    t = m.cell_start[cell] + rng.integers(0, 60, n)
    u = np.minimum(np.searchsorted(m.unit_cum, rng.random(n), side="right"), len(m.unit_cum) - 1)
    g = m.unit_group[u]
    p = np.zeros(n, dtype=np.int64)
    for gi, (procs, cum) in enumerate(m.groups):
        mask = g == gi
        k = int(mask.sum())
        if k:
            p[mask] = procs[np.minimum(np.searchsorted(cum, rng.random(k), side="right"), len(procs) - 1)]

    # Channel: online only for procedures offered online, at the unit's rate.
    p_online = np.clip(m.online[u] * m.online_factor[p] / m.group_online_mean[g], 0, 0.95)
    r = rng.random(n)
    online = r < p_online
    channel = np.where(online, 2, np.where(r > 0.975, 3, 1)).astype(np.int8)

    # Never accepted: 1 submitted online and left, 3 refused at intake.
    r = rng.random(n)
    submitted_only = online & (r < 0.032)
    refused = (online & (r >= 0.032) & (r < 0.052)) | (~online & (r < 0.003))
    accepted = ~(submitted_only | refused)

    lag = np.where(
        online,
        np.where(rng.random(n) < 0.6, rng.uniform(300, 6 * 3600, n), rng.uniform(0.5, 4, n) * 86400),
        np.where(channel == 3, rng.uniform(1, 4, n) * 86400, rng.uniform(60, 1500, n)),
    ).astype(np.int64)
    submitted = t - lag

    # Acceptance, due date.
    a = t
    day = a // 86400
    tod = a % 86400
    a_idx = np.searchsorted(wd, day)
    unit = m.limit_unit[p]
    n_lim = m.limit_n[p]
    has_due = unit != NO_LIMIT
    due_wd = m.calendar.add_working_days_array(day.astype("datetime64[D]"), np.where(unit == WORKING_DAYS, n_lim, 1))
    due = np.full(n, NA, dtype=np.int64)
    due = np.where(unit == WORKING_DAYS, due_wd.astype(np.int64) * 86400 + tod, due)
    due = np.where(unit == HOURS, a + n_lim * 3600, due)
    due = np.where(unit == DAYS, a + n_lim * 86400, due)
    due = np.where(unit == MONTHS, _add_months(day, np.where(unit == MONTHS, n_lim, 0)) * 86400 + tod, due)
    due_idx = np.where(
        has_due,
        np.searchsorted(wd, due // 86400, side="right") - 1,
        a_idx + 1 + rng.geometric(0.12, n),  # no limit: a typical duration
    )
    due_idx = np.minimum(due_idx, last_wd)

    # Processing: most finish early or on the due day; the unit's and procedure's lateness.
    late = has_due & (rng.random(n) < np.clip(m.late[u] * m.proc_late[p], 0, 0.6))
    span = due_idx - a_idx
    base_idx = a_idx + np.minimum((rng.beta(2.0, 1.4, n) * (span + 1)).astype(np.int64), span)
    late_by = rng.geometric(0.25, n) + np.where(rng.random(n) < 0.06, rng.integers(10, 60, n), 0)
    base_idx = np.minimum(np.where(late, due_idx + late_by, base_idx), last_wd)
    office = _office_tod(rng, n)
    finish0 = np.where(base_idx == a_idx, _later_same_day(rng, a), wd[base_idx] * 86400 + office)

    # Supplement requests: the clock stops between request and supply.
    supp = accepted & (rng.random(n) < m.supplement[u] * m.proc_supplement[p])
    r = rng.random(n)
    times = np.where(supp, 1 + (r > 0.9) + (r > 0.975), 0).astype(np.int16)
    req_idx = a_idx + (rng.random(n) * (base_idx - a_idx + 1)).astype(np.int64)
    req = np.clip(wd[req_idx] * 86400 + _office_tod(rng, n), a, finish0)
    pause = rng.geometric(0.3, n) + (times.astype(np.int64) - 1).clip(0) * rng.integers(2, 8, n)
    sup_idx = np.minimum(req_idx + pause, last_wd)
    supplied = wd[sup_idx] * 86400 + np.minimum(req % 86400 + rng.integers(0, 3600, n), OFFICE_CLOSE - 1)
    fin_idx = np.minimum(base_idx + pause, last_wd)
    finish_sup = np.maximum(wd[fin_idx] * 86400 + finish0 % 86400, supplied + 60)
    finish = np.where(supp, finish_sup, finish0)

    # Withdrawn (7) and stopped (8); after an unanswered supplement request, when there was one.
    r = rng.random(n)
    withdrawn = accepted & (r < 0.006)
    stopped = accepted & (r >= 0.006) & (r < 0.010)
    quit_ = withdrawn | stopped
    e_idx = a_idx + (rng.random(n) * (np.minimum(base_idx, due_idx) - a_idx + 1)).astype(np.int64)
    e_idx = np.where(supp, req_idx + rng.integers(3, 15, n), e_idx)
    e_idx = np.minimum(e_idx, last_wd)
    ended_at = np.maximum(wd[e_idx] * 86400 + _office_tod(rng, n), a)
    ended_at = np.where(supp, np.maximum(ended_at, req + 3600), ended_at)
    supplied = np.where(quit_, NA, supplied)

    ye = m.year_end
    end = np.where(quit_, ended_at, finish)
    ended = accepted & (end <= ye)
    # A request after the year's end is not seen; a supply after it is not either.
    supp = supp & (req <= ye)
    times = np.where(supp, times, 0)
    supplied = np.where(supp & (supplied <= ye), supplied, NA)
    waiting_supply = supp & (supplied == NA)

    # Return of the result.
    fin_day_idx = np.searchsorted(wd, finish // 86400)
    collect = np.where(
        online & (rng.random(n) < 0.7),
        fin_day_idx,
        np.where(rng.random(n) < 0.6, np.maximum(fin_day_idx, due_idx), fin_day_idx + rng.geometric(0.5, n) - 1),
    )
    collect = np.minimum(collect, last_wd)
    returned = np.where(
        collect <= fin_day_idx, _later_same_day(rng, finish), np.maximum(wd[collect] * 86400 + office, finish)
    )
    never_collected = rng.random(n) < 0.015

    obligation = m.fee[p] & (rng.random(n) < 0.92)
    open_ = accepted & ~ended
    r = rng.random(n)
    status = np.full(n, 4, dtype=np.int8)
    status = np.where(open_ & obligation & (r < 0.25), 6, status)
    status = np.where(open_ & (a_idx >= m.last_days_idx) & (r > 0.6), 2, status)
    status = np.where(open_ & waiting_supply, 5, status)
    finished = ended & ~quit_
    status = np.where(finished, np.where(never_collected | (returned > ye), 9, 10), status)
    status = np.where(ended & withdrawn, 7, status)
    status = np.where(ended & stopped, 8, status)
    status = np.where(refused, 3, status)
    status = np.where(submitted_only, 1, status)

    # The on-time rule (tthc-dossiers.md §4) on the finished ones, to drive ratings and complaints.
    adj_end = finish - np.where(supplied != NA, supplied - req, 0)
    late_rule = finished & has_due & ((adj_end // 86400) > (due // 86400))
    late_rule |= finished & (times >= 2)

    # Flags.
    paid = accepted & obligation & m.pay_online[p] & (rng.random(n) < np.where(online, 0.45, 0.04))
    paid_how = np.where(rng.random(n) < 0.35, 1, 2)
    paid_online = np.where(obligation, np.where(paid, paid_how, 0), -1).astype(np.int8)
    routed = accepted & (rng.random(n) < m.route[u])
    digitised = accepted & (rng.random(n) < np.clip(m.digitised[u] + 0.15 * online, 0, 0.98))
    is_done = (status == 9) | (status == 10)
    eresult = is_done & (rng.random(n) < np.clip(m.eresult[u] + 0.1 * online, 0, 0.98))
    synced = rng.random(n) < m.sync[u]
    rated = ((status == 10) & (rng.random(n) < m.rated[u])) | ((status == 9) & (rng.random(n) < 0.05))
    p_bad = np.clip(m.dissatisfied[u] + 0.3 * late_rule, 0, 0.9)
    r = rng.random(n)
    rating = np.where(r < p_bad, 2, np.where(r < p_bad + (1 - p_bad) * 0.55, 0, 1))
    rating = np.where(rated, rating, -1)
    complaint = rng.random(n) < 0.002 + 0.02 * late_rule + 0.12 * (rating == 2)
    # Drawn after everything else, so the columns above do not change with them.
    # Papers not submitted again (2.7) and papers taken from the citizen's data store.
    reused = accepted & (rng.random(n) < np.clip(0.5 * m.digitised[u] + 0.2 * online, 0.02, 0.9))
    from_store = accepted & online & (rng.random(n) < 0.3)
    # The stock of results (2.3): a paper result digitised some working days after it was issued, at the unit's
    # pace; a few results valid only for some months.
    r = rng.random(n)
    later = np.minimum(fin_day_idx + rng.geometric(0.08, n), last_wd)
    digitised_at = np.where(is_done & ~eresult & (r < m.digitised[u]), wd[later] * 86400 + _office_tod(rng, n), NA)
    digitised_at = np.where(digitised_at > ye, NA, digitised_at)
    expires = np.where(is_done & (rng.random(n) < 0.05), finish + rng.integers(30, 180, n) * 86400, NA)

    # Which timestamps each row shows.
    submitted_col = submitted
    accepted_col = np.where(accepted, a, NA)
    due_col = np.where(accepted & has_due & ~m.omit_due[p], due, NA)
    finished_col = np.where(finished | (ended & quit_), end, NA)
    returned_col = np.where(status == 10, returned, NA)
    req_col = np.where(supp & accepted, req, NA)
    sup_col = np.where(supp & accepted, supplied, NA)
    alt = rng.random(n) < ALT_FORMAT_SHARE

    width = max(7, len(str(count)))
    frame = pl.DataFrame(
        {
            "row": row + 1,
            "unit": m.unit_codes[u],
            "MaTTHC": m.proc_codes[p],
            "KenhThucHien": channel,
            "NgayNopHoSo": submitted_col,
            "NgayTiepNhan": accepted_col,
            "NgayHenTra": due_col,
            "NgayKetThucXuLy": finished_col,
            "NgayTra": returned_col,
            "TrangThaiHoSo": status,
            "DuocThanhToanTrucTuyen": paid_online,
            "CoNghiaVuTaiChinh": obligation.astype(np.int8),
            "NgayYeuCauBoSung": req_col,
            "NgayHoanThanhBoSung": sup_col,
            "SoLanYeuCauBoSung": np.where(accepted, times, 0).astype(np.int8),
            "LuanChuyenDienTu": routed.astype(np.int8),
            "CoKetQuaDienTu": eresult.astype(np.int8),
            "HoSoCoThanhPhanSoHoa": digitised.astype(np.int8),
            "DongBoDVCQG": synced.astype(np.int8),
            "rating": rating.astype(np.int8),
            "CoPAKN": complaint.astype(np.int8),
            "DuocTaiSuDung": np.where(accepted, reused, 0).astype(np.int8),
            "DuocLayTuKhoDMQG": from_store.astype(np.int8),
            "NgaySoHoaKetQua": digitised_at,
            "NgayHetHieuLucKetQua": expires,
            "alt": alt,
            "code_time": submitted,
        }
    )

    def when(column: str) -> pl.Expr:
        moment = pl.from_epoch(pl.col(column), time_unit="s")
        text = pl.when(pl.col("alt")).then(moment.dt.strftime(ALT_FORMAT)).otherwise(moment.dt.strftime(ISO_FORMAT))
        return pl.when(pl.col(column) != NA).then(text).otherwise(None).alias(column)

    rating_names = pl.Series(RATINGS)
    return frame.select(
        pl.concat_str(
            [
                pl.lit("SYN-"),
                pl.col("unit"),
                pl.lit("-"),
                pl.from_epoch(pl.col("code_time"), time_unit="s").dt.strftime("%y%m%d"),
                pl.lit("-"),
                pl.col("row").cast(pl.String).str.zfill(width),
            ]
        ).alias("MaHoSo"),
        pl.col("MaTTHC"),
        pl.col("unit").alias("DonViXuLy"),
        pl.col("KenhThucHien"),
        *[when(c) for c in DATE_COLUMNS],
        pl.col("TrangThaiHoSo"),
        pl.when(pl.col("DuocThanhToanTrucTuyen") >= 0)
        .then(pl.col("DuocThanhToanTrucTuyen"))
        .alias("DuocThanhToanTrucTuyen"),
        pl.col("CoNghiaVuTaiChinh"),
        *[when(c) for c in SUPPLEMENT_DATE_COLUMNS],
        pl.col("SoLanYeuCauBoSung"),
        pl.col("LuanChuyenDienTu"),
        pl.col("CoKetQuaDienTu"),
        pl.col("HoSoCoThanhPhanSoHoa"),
        pl.col("DongBoDVCQG"),
        pl.when(pl.col("rating") >= 0)
        .then(pl.col("rating").cast(pl.Int64).replace_strict(list(range(3)), rating_names, default=None))
        .alias("DanhGiaHaiLong"),
        pl.col("CoPAKN"),
        pl.col("DuocTaiSuDung"),
        pl.col("DuocLayTuKhoDMQG"),
        when("NgaySoHoaKetQua"),
        when("NgayHetHieuLucKetQua"),
    )


def generate_dossiers(
    year: int,
    count: int,
    seed: int,
    catalogue: pl.DataFrame,
    chunk_size: int = 200_000,
    calendar: WorkCalendar | None = None,
) -> Iterator[pl.DataFrame]:
    """Yield the dossiers in chronological order, `chunk_size` rows at a time (the last chunk may be shorter).

    The rows are a function of (year, count, seed, catalogue, calendar) only, never of `chunk_size`.
    """
    if count < 0 or chunk_size <= 0:
        raise ValueError("count must be ≥ 0 and chunk_size > 0")
    model = _build_model(year, seed, catalogue, calendar)
    pending: list[pl.DataFrame] = []
    pending_rows = 0
    for start in range(0, count, BLOCK):
        frame = _block(model, start, min(BLOCK, count - start), count, seed)
        pending.append(frame)
        pending_rows += frame.height
        while pending_rows >= chunk_size:
            merged = pl.concat(pending, rechunk=False)
            yield merged.slice(0, chunk_size)
            rest = merged.slice(chunk_size)
            pending, pending_rows = ([rest] if rest.height else []), rest.height
    if pending_rows:
        yield pl.concat(pending, rechunk=False)


def catalogue_path_for(out: str) -> str:
    """FILE's name with `-catalogue.csv` in place of its suffix (dossiers-2023.csv → dossiers-2023-catalogue.csv)."""
    path = Path(out)
    return str(path.with_name((path.stem if path.suffix else path.name) + "-catalogue.csv"))


def write_csv(frames: Iterable[pl.DataFrame], path: str, columns: list[str], progress=None) -> int:
    """Append the frames to one UTF-8 CSV file (header once, even with no rows); returns the rows written."""
    written = 0
    with open(path, "wb") as handle:
        for frame in frames:
            frame.write_csv(handle, include_header=(written == 0))
            written += frame.height
            if progress:
                progress(written)
        if not written:
            pl.DataFrame(schema={c: pl.String for c in columns}).write_csv(handle)
    return written
