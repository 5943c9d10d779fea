# Tiếng Việt: ngôn ngữ mặc định của Bình An. Dùng đúng thuật ngữ trong GLOSSARY.
# Mỗi khóa ở đây phải có trong en.ftl (kiểm tra bằng unit test).

## Bố cục chung
skip-to-content = Chuyển đến nội dung chính
nav-label = Điều hướng chính
nav-home = Trang chính
lang-switch-label = Ngôn ngữ
lock-now = Khóa màn hình
sign-out = Đăng xuất
footer-help = Cần hỗ trợ, hãy liên hệ quản trị hệ thống của tỉnh.

## Tên trang (tiêu đề trung tính, không chứa dữ liệu cá nhân)
page-login = Đăng nhập
page-home = Trang chính

## Đăng nhập
login-heading = Đăng nhập
login-username = Tên đăng nhập
login-password = Mật khẩu
login-code = Mã xác thực (6 chữ số)
login-code-hint = Mã đang hiện trong ứng dụng xác thực trên điện thoại. Bỏ trống nếu tài khoản của bạn không dùng mã.
login-submit = Đăng nhập
login-help = Quên mật khẩu hoặc mất điện thoại có ứng dụng xác thực? Hãy liên hệ quản trị hệ thống của tỉnh.
login-error-missing-username = Hãy nhập tên đăng nhập.
login-error-missing-password = Hãy nhập mật khẩu.
login-error-code-format = Mã xác thực gồm đúng 6 chữ số. Hãy nhập mã đang hiện trong ứng dụng xác thực.
login-error-code-required = Tài khoản này cần mã xác thực. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực.
login-error-invalid = Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng. Hãy kiểm tra chữ hoa, chữ thường và tắt bộ gõ tiếng Việt khi nhập mật khẩu, rồi thử lại.
login-error-form-expired = Trang đăng nhập đã mở quá lâu. Hãy nhập lại và đăng nhập.
login-notice-session-ended = Phiên làm việc đã kết thúc vì lâu không sử dụng. Hãy đăng nhập lại.
login-notice-signed-out = Bạn đã đăng xuất.

## Vai trò (theo GLOSSARY)
role-social_worker = Cán bộ công tác xã hội cấp xã
role-supervisor = Cán bộ giám sát
role-safe_house_staff = Nhân viên nhà tạm lánh
role-committee_member = Thành viên Ban Vì sự tiến bộ của phụ nữ
role-admin = Quản trị hệ thống

## Phạm vi làm việc
scope-term-communes = Xã, phường phụ trách
scope-term-safe-house = Nhà tạm lánh
scope-term-general = Phạm vi
scope-province = Toàn tỉnh { $name }
scope-system = Toàn hệ thống

## Trang chính
home-signed-in-as = Người đăng nhập
home-tasks-heading = Công việc của bạn tại đây
home-tasks-note = Mỗi chức năng sẽ có trong thanh điều hướng ở đầu trang khi sẵn sàng.
home-safety-heading = An toàn khi làm việc
home-safety-lock = Màn hình tự khóa sau { $minutes } phút không thao tác. Khi rời máy, hãy bấm “Khóa màn hình”; khi xong việc, hãy đăng xuất.

## Việc của từng vai trò (DESIGN §1)
task-social_worker-intake = Tiếp nhận tin báo và mở hồ sơ vụ việc
task-social_worker-assess = Đánh giá nguy cơ và lập kế hoạch hỗ trợ
task-social_worker-record = Ghi nhận sự đồng ý, biện pháp ngăn chặn, bảo vệ và ghi chú
task-social_worker-refer = Chuyển gửi đến cơ sở cung cấp dịch vụ và đề nghị bố trí tạm lánh
task-social_worker-follow-up = Theo dõi hồ sơ và đề nghị đóng hồ sơ
task-supervisor-all = Mọi việc của cán bộ xã, trong phạm vi toàn tỉnh
task-supervisor-approve = Phê duyệt đóng hồ sơ và ngoại lệ về sự đồng ý vì lợi ích tốt nhất của trẻ em
task-supervisor-reassign = Phân công lại hồ sơ
task-supervisor-erasure = Quyết định xóa thông tin cá nhân khi có yêu cầu
task-supervisor-deadlines = Theo dõi các thời hạn sắp đến và đã quá hạn
task-safe_house_staff-requests = Xem đề nghị bố trí tạm lánh gửi đến nhà của bạn; nhận hoặc từ chối
task-safe_house_staff-check-in = Tiếp nhận vào và cho rời đi
task-safe_house_staff-notes = Ghi chú trong thời gian tạm lánh
task-safe_house_staff-identity = Họ tên và số điện thoại của người tạm lánh chỉ hiện từ khi nhận đến khi rời đi
task-committee_member-statistics = Số liệu thống kê ẩn danh trong phạm vi của Ban
task-committee_member-reports = Báo cáo 6 tháng (hạn trước 10/6) và báo cáo năm (hạn trước 10/11)
task-committee_member-exports = Báo cáo chuyên đề; tải về dạng CSV, XLSX hoặc in
task-committee_member-anonymous = Không có tên hay thông tin cá nhân nào; số liệu dưới ngưỡng được ẩn
task-admin-accounts = Quản lý tài khoản người dùng
task-admin-registers = Quản lý nhà tạm lánh, cơ sở cung cấp dịch vụ và đơn vị hành chính
task-admin-settings = Cài đặt hệ thống và kiểm tra nhật ký truy cập
task-admin-separation = Quản trị hệ thống không xem được nội dung hồ sơ vụ việc

## Khóa màn hình
lock-title = Màn hình đã khóa
lock-help = Nhập mật khẩu để tiếp tục làm việc.
unlock-submit = Mở khóa
unlock-busy = Đang kiểm tra…
unlock-error-wrong = Mật khẩu không đúng. Hãy nhập lại mật khẩu của bạn (tắt bộ gõ tiếng Việt).
unlock-error-too-many = Đã thử quá nhiều lần. Hãy đăng xuất rồi đăng nhập lại.
unlock-error-session-ended = Phiên làm việc đã kết thúc. Hãy đăng xuất rồi đăng nhập lại.
unlock-error-failed = Chưa mở khóa được do lỗi máy chủ. Hãy thử lại sau ít phút, hoặc đăng xuất rồi đăng nhập lại.
unlock-error-network = Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.

## Trang lỗi
error-back = Về trang chính
error-403-title = Không được phép
error-403-text = Tài khoản của bạn không có quyền xem trang này. Nếu bạn cần quyền này, hãy liên hệ quản trị hệ thống.
error-404-title = Không tìm thấy trang
error-404-text = Trang này không có hoặc bạn không có quyền xem. Hãy kiểm tra lại đường dẫn hoặc quay về trang chính.
error-500-title = Lỗi hệ thống
error-500-text = Hệ thống gặp lỗi khi xử lý yêu cầu. Dữ liệu đã lưu trước đó không bị ảnh hưởng. Hãy thử lại; nếu lỗi còn, hãy báo quản trị hệ thống.
error-503-title = Hệ thống tạm ngừng phục vụ
error-503-text = Hệ thống đang bảo trì hoặc quá tải. Hãy thử lại sau ít phút.
error-other-title = Không thực hiện được yêu cầu
error-other-text = Yêu cầu không hợp lệ. Hãy quay lại trang trước và thử lại.
